"""EC2 volume numbers (stratus.db.ec2): one per volume, stable, never
shared, even when two API processes number the same volume at once."""
import sqlalchemy as sa

from stratus.db import api as db_api
from stratus.db import ec2 as ec2_db
from stratus.db import models

# Two UUIDs with the same first 32 bits: the old vol- ids collided.
A = '0a1b2c3d-0000-4000-8000-00000000000a'
B = '0a1b2c3d-0000-4000-8000-00000000000b'
C = 'ffffffff-0000-4000-8000-00000000000c'


def test_each_volume_gets_its_own_stable_number(db):
    first = ec2_db.volume_numbers([A, B])
    assert first[A] != first[B]
    again = ec2_db.volume_numbers([B, C, A, A])
    assert again[A] == first[A] and again[B] == first[B]
    assert len(set(again.values())) == 3
    assert ec2_db.volume_uuids(list(again.values()) + [999]) == {
        n: u for u, n in again.items()}
    assert ec2_db.volume_numbers([]) == {}


def test_a_volume_numbered_meanwhile_keeps_the_other_number(db,
                                                            monkeypatch):
    """Another API process inserts the same volume between our read and
    our insert: our insert fails on the unique uuid, and both processes
    then read the one number that stands."""
    real = ec2_db._number_volumes

    def racing(volume_ids):
        with db_api.writer() as session:
            session.execute(sa.insert(
                models.Ec2VolumeMapping.__table__).values(
                uuid=A, created_at=models.utcnow()))
        real(volume_ids)
    monkeypatch.setattr(ec2_db, '_number_volumes', racing)
    numbers = ec2_db.volume_numbers([A, C])
    with db_api.reader() as session:
        rows = session.execute(sa.select(
            models.Ec2VolumeMapping.uuid,
            models.Ec2VolumeMapping.id)).all()
    assert dict(rows) == numbers and len(rows) == 2
