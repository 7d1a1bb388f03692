"""etc/stratus/stratus.conf.sample is generated, current and complete."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
GENERATOR = ROOT / 'etc' / 'stratus' / 'stratus-config-generator.conf'
SAMPLE = ROOT / 'etc' / 'stratus' / 'stratus.conf.sample'


def test_sample_config_is_up_to_date(tmp_path):
    out = tmp_path / 'sample.conf'
    tool = pathlib.Path(sys.executable).parent / 'oslo-config-generator'
    subprocess.run([str(tool), '--config-file', str(GENERATOR),
                    '--output-file', str(out)], check=True, cwd=ROOT,
                   capture_output=True)
    assert out.read_text() == SAMPLE.read_text(), (
        'etc/stratus/stratus.conf.sample is stale: run '
        'oslo-config-generator --config-file %s' % GENERATOR.relative_to(
            ROOT))


def test_every_stratus_option_has_help():
    from stratus import conf
    missing = [(group, opt.name) for group, opts in conf.list_opts()
               for opt in opts if not (opt.help or '').strip()]
    assert missing == []


def test_daemons_run_on_the_threading_backend():
    code = ('import stratus.cmd.conductor, oslo_messaging; '
            'from oslo_service import backend; '
            'print(backend.get_backend_type().value)')
    result = subprocess.run([sys.executable, '-c', code], check=True,
                            capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == 'threading'
