#!/bin/bash
# Build Stratus's tiny test guest from Debian packages only.
#
#   tools/build-guest-image.sh OUTDIR
#
# Produces OUTDIR/vmlinuz (a Debian 6.1 kernel), OUTDIR/initrd.img (busybox
# plus the virtio modules and an /init that reports on the serial console)
# and OUTDIR/disk.qcow2 (an empty 64 MiB root disk: the image that carries
# kernel_id/ramdisk_id). The kernel package is cached in OUTDIR/cache, so a
# second run downloads nothing.
#
# Console markers the tests look for:
#   STRATUS-GUEST-BOOTED                      /init started
#   STRATUS-DHCP-LEASE ip=... mask=... ...     udhcpc got a lease on eth0
#   STRATUS-BLOCK-DEVICES: vda vdb            the disks in /sys/block changed
set -euo pipefail

OUTDIR=${1:?usage: $0 OUTDIR}
mkdir -p "$OUTDIR/cache"
OUTDIR=$(cd "$OUTDIR" && pwd)
CACHE=$OUTDIR/cache

# Load order matters: the package ships no modules.dep to let modprobe work.
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
virtio_pci virtio_blk failover net_failover virtio_net evdev button"

for tool in busybox qemu-img dpkg apt-get; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
# busybox-static installs /bin/busybox; a dynamic one would need its
# libraries inside the initramfs.
BUSYBOX=/bin/busybox
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    echo "$BUSYBOX is not static: apt-get install busybox-static" >&2; exit 1
fi

pick_kernel_package() {
    # Highest plain 6.1 flavour that apt can install (not -rt, not -cloud).
    apt-cache pkgnames linux-image-6.1.0- \
        | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V -r \
        | while read -r pkg; do
            policy=$(apt-cache policy "$pkg")
            if [[ $policy == *"Candidate: "[0-9]* ]]; then
                echo "$pkg"; break
            fi
        done
}

deb=$(ls "$CACHE"/linux-image-6.1.0-*-amd64_*.deb 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$deb" ]; then
    pkg=$(pick_kernel_package)
    if [ -z "$pkg" ]; then
        apt-get update -qq
        pkg=$(pick_kernel_package)
    fi
    [ -n "$pkg" ] || { echo "no linux-image-6.1.0-*-amd64 in apt" >&2; exit 1; }
    echo "downloading $pkg"
    (cd "$CACHE" && apt-get download -q "$pkg")
    deb=$(ls "$CACHE"/"$pkg"_*.deb | tail -1)
fi
echo "kernel package: $(basename "$deb")"

# The unpacked package is 400 MB: unpack it for this run only.
extract=$(mktemp -d "$CACHE/extract.XXXXXX")
root=$(mktemp -d "$CACHE/initramfs.XXXXXX")
trap 'rm -rf "$extract" "$root"' EXIT
dpkg -x "$deb" "$extract"

vmlinuz=$(ls "$extract"/boot/vmlinuz-* | head -1)
install -m 0644 "$vmlinuz" "$OUTDIR/vmlinuz.tmp"
mv -f "$OUTDIR/vmlinuz.tmp" "$OUTDIR/vmlinuz"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc/acpi/PWRF,lib/modules,usr/share/udhcpc}
cp "$BUSYBOX" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done

order=
for name in $MODULES; do
    found=$(find "$extract/lib/modules" -name "$name.ko" -o -name "$name.ko.xz" \
            | head -1)
    if [ -z "$found" ]; then
        # evdev and button may be built in: then there is nothing to load.
        case $name in evdev|button) continue ;; esac
        echo "module $name not found" >&2; exit 1
    fi
    case $found in
        *.xz) xz -dc "$found" > "$root/lib/modules/$name.ko" ;;
        *) cp "$found" "$root/lib/modules/$name.ko" ;;
    esac
    order="$order $name"
done
echo "$order" > "$root/lib/modules/order"

cat > "$root/init" <<'EOF'
#!/bin/busybox sh
echo STRATUS-GUEST-BOOTED
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/order); do
    insmod /lib/modules/$m.ko 2>/dev/null || echo "STRATUS-MODULE-FAILED $m"
done
ip link set lo up
# ACPI power button (virsh shutdown / virDomainShutdown) -> power off.
acpid -c /etc/acpi -l /tmp/acpid.log 2>/dev/null
if [ -e /sys/class/net/eth0 ]; then
    udhcpc -i eth0 -s /usr/share/udhcpc/default.script -T 2 -A 3 -S >/dev/null 2>&1 &
fi
last=none
while true; do
    cur=$(ls /sys/block | grep -v -e '^loop' -e '^ram' | tr '\n' ' ')
    cur=${cur% }
    if [ "$cur" != "$last" ]; then
        echo "STRATUS-BLOCK-DEVICES: $cur"
        last=$cur
    fi
    sleep 1
done
EOF
chmod 0755 "$root/init"

cat > "$root/usr/share/udhcpc/default.script" <<'EOF'
#!/bin/sh
case "$1" in
    bound|renew)
        ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
        [ -n "$router" ] && route add default gw "${router%% *}" dev "$interface" 2>/dev/null
        echo "STRATUS-DHCP-LEASE ip=$ip mask=$subnet router=$router dns=$dns" > /dev/console
        ;;
    deconfig)
        ifconfig "$interface" 0.0.0.0
        ;;
esac
exit 0
EOF
chmod 0755 "$root/usr/share/udhcpc/default.script"

cat > "$root/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo STRATUS-GUEST-POWEROFF > /dev/console
sync
poweroff -f
EOF
chmod 0755 "$root/etc/acpi/PWRF/00000080"

(cd "$root" && find . | LC_ALL=C sort | "$root/bin/busybox" cpio -o -H newc 2>/dev/null \
    | gzip -9 > "$OUTDIR/initrd.img.tmp")
chmod 0644 "$OUTDIR/initrd.img.tmp"
mv -f "$OUTDIR/initrd.img.tmp" "$OUTDIR/initrd.img"

if [ ! -f "$OUTDIR/disk.qcow2" ]; then
    qemu-img create -q -f qcow2 "$OUTDIR/disk.qcow2.tmp" 64M
    chmod 0644 "$OUTDIR/disk.qcow2.tmp"
    mv -f "$OUTDIR/disk.qcow2.tmp" "$OUTDIR/disk.qcow2"
fi
chmod 0755 "$OUTDIR"

echo "modules:$order"
for f in vmlinuz initrd.img disk.qcow2; do
    printf '%-11s %8s bytes\n' "$f" "$(stat -c %s "$OUTDIR/$f")"
done
