"""Check-ins are flagged, never refused: far away, poor accuracy, a reused photo, no address."""

from __future__ import annotations

from storage.models import CheckIn, Customer, FollowUp
from tests.support.sim import Sim
from tests.test_checkin_support import FAR, NEAR, check_in, own, photo_bytes, rep_and_customer


async def test_far_away_is_flagged_stored_and_the_rep_is_told(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    text = await check_in(rob, acme, at=FAR)
    assert "Flagged" in text and "your manager will see why" in text
    assert "2.2 km from the customer: farther than the allowed 300 m" in text
    [row] = await CheckIn.all()
    assert row.flags == ["outside_radius"] and row.flagged is True
    assert row.distance_m is not None and 2100 < row.distance_m < 2300
    assert await FollowUp.filter(checkin_id=row.id, effective=True).exists()
    assert (await Customer.get(id=acme.id)).last_followup_at == row.checked_in_at


async def test_the_customer_radius_overrides_the_team_radius(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim, radius=3000)
    text = await check_in(rob, acme, at=FAR)
    assert "allowed: 3.0 km" in text and "Not flagged" in text
    assert (await CheckIn.get()).flagged is False

    tight = await own(sim, rob, "Tight", radius=50)
    text = await check_in(rob, tight, at=NEAR)
    assert "farther than the allowed 50 m" in text
    assert (await CheckIn.get(customer_id=tight.id)).flags == ["outside_radius"]


async def test_poor_or_missing_accuracy_is_flagged(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    text = await check_in(rob, acme, accuracy=250)
    assert "accuracy (250 m) is worse than 100 m" in text
    text = await check_in(rob, acme, accuracy=None)
    assert "accuracy (not reported)" in text
    rows = await CheckIn.all().order_by("id")
    assert [r.flags for r in rows] == [["poor_accuracy"], ["poor_accuracy"]]
    assert [r.accuracy_m for r in rows] == [250, None]


async def test_a_photo_used_before_is_flagged_at_any_customer(sim: Sim) -> None:
    rob, acme = await rep_and_customer(sim)
    beta = await own(sim, rob, "Beta")
    same = photo_bytes(seed=777)
    first = await check_in(rob, acme, photo=same)
    assert "Not flagged" in first
    second = await check_in(rob, beta, photo=same)
    assert "already used for an earlier check-in" in second
    one, two = await CheckIn.all().order_by("id")
    assert one.photo_unique_id == two.photo_unique_id and one.photo_file_id != two.photo_file_id
    assert one.flags == [] and two.flags == ["reused_photo"]


async def test_a_customer_without_coordinates_learns_them_from_a_good_first_visit(
    sim: Sim,
) -> None:
    rob, nowhere = await rep_and_customer(sim, customer="Nowhere", location=None)
    text = await check_in(rob, nowhere, at=NEAR, accuracy=15)
    assert "no location on file, so the distance could not be checked" in text
    assert "Nowhere had no location on file: this visit's position is now theirs" in text
    row = await CheckIn.get()
    assert row.flags == ["no_customer_location"] and row.distance_m is None
    customer = await Customer.get(id=nowhere.id)
    assert (customer.latitude, customer.longitude) == NEAR

    text = await check_in(rob, nowhere, at=NEAR, accuracy=15)
    assert "Not flagged" in text  # the next visit is measured against it


async def test_a_poor_first_visit_does_not_become_the_customer_location(sim: Sim) -> None:
    rob, nowhere = await rep_and_customer(sim, customer="Nowhere", location=None)
    text = await check_in(rob, nowhere, at=NEAR, accuracy=400)
    assert "position is now theirs" not in text
    row = await CheckIn.get()
    assert row.flags == ["poor_accuracy", "no_customer_location"]
    customer = await Customer.get(id=nowhere.id)
    assert customer.latitude is None and customer.longitude is None
