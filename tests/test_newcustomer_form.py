"""/newcustomer: the guided form, its checks, duplicates, a shared location, edit and cancel."""

from __future__ import annotations

from storage.models import AuditLog, Contact, Customer, PoolEvent, PoolEventKind, Role, User
from tests.support.sim import START, Sim, ensure_team


async def _existing(name: str, phone: str, owner: User | None = None, **fields: object) -> Customer:
    from storage.normalize import name_key

    team = await ensure_team("North", START)
    return await Customer.create(
        team=team, name=name, name_key=name_key(name), phone=phone, owner=owner, **fields
    )


async def test_a_rep_adds_a_customer_who_becomes_theirs(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    await _existing("Older Co", "+8613600000000", industry="Retail", region="Pudong")

    [ask] = await rep.send("/newcustomer")
    assert "company called" in (ask.text or "")
    [ask] = await rep.send("Acme Trading")
    assert "contact person" in (ask.text or "")
    [ask] = await rep.send("Li Ming")
    assert "phone" in (ask.text or "")
    [error] = await rep.send("12345")
    assert "not a phone number I can use" in (error.text or "")
    [ask] = await rep.send("138 1234 5678")
    assert "address" in (ask.text or "")
    [ask] = await rep.send("88 Century Avenue")
    assert "Region" in (ask.text or "") and "Pudong" in rep.buttons()
    [ask] = await rep.send("Jing'an")
    assert "Industry" in (ask.text or "") and "Retail" in rep.buttons()
    tap = await rep.tap("Retail")
    summary = tap.changed[-1].text or ""
    assert "Acme Trading" in summary and "+8613812345678" in summary and "Jing'an" in summary
    assert await Customer.filter(name="Acme Trading").count() == 0  # nothing before Save

    tap = await rep.tap("Save")
    texts = [m.text or "" for m in tap.changed]
    assert any("saved — it is yours" in text for text in texts)
    assert any("Owner: Rob" in text and "Li Ming" in text for text in texts)
    customer = await Customer.get(name="Acme Trading")
    owner = await User.get(telegram_id=rep.id)
    assert customer.owner_id == owner.id and customer.phone == "+8613812345678"
    assert (customer.address, customer.region, customer.industry) == (
        "88 Century Avenue",
        "Jing'an",
        "Retail",
    )
    assert (await Contact.get(customer=customer)).name == "Li Ming"
    assert await PoolEvent.filter(customer=customer, kind=PoolEventKind.ASSIGN).count() == 1
    assert await AuditLog.filter(action="customer.create", entity_id=str(customer.id)).exists()


async def test_a_managers_customer_goes_to_the_pool_and_a_location_is_an_address(
    sim: Sim,
) -> None:
    manager = await sim.member(Role.MANAGER, name="Mia")
    await manager.send("/newcustomer")
    await manager.send("Harbour Foods")
    await manager.tap("Skip")
    await manager.send("+86 139 0000 1111")
    [ask] = await manager.send("Shanghai, I think")  # typed text is an address too…
    assert "Region" in (ask.text or "")
    await manager.tap("Skip")  # region
    await manager.tap("Skip")  # industry
    await manager.tap("Edit")
    await manager.tap("Address")
    [ask] = await manager.share_location(31.2304, 121.4737)  # …but a location is better
    assert "Location saved" in (ask.text or "")
    [reply] = await manager.send_photo(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert "type the answer as text" in (reply.text or "")
    tap = await manager.tap("Skip")
    summary = tap.changed[-1].text or ""
    assert "31.23040, 121.47370" in summary and "Shanghai, I think" not in summary
    tap = await manager.tap("Save")
    assert any("saved to the public pool" in (m.text or "") for m in tap.changed)
    customer = await Customer.get(name="Harbour Foods")
    assert customer.owner_id is None and customer.address is None
    assert (customer.latitude, customer.longitude) == (31.2304, 121.4737)
    assert await Contact.filter(customer=customer).count() == 0


async def test_a_duplicate_is_shown_instead_of_a_second_customer(sim: Sim) -> None:
    rob = await sim.member(Role.REP, name="Rob")
    rita = await sim.member(Role.REP, name="Rita")
    pool = await _existing("ACME Trading Ltd.", "+8613812345678")
    ritas = await User.get(telegram_id=rita.id)
    await _existing("Rita's Client", "+8613900001111", owner=ritas)

    await rob.send("/newcustomer")
    [dup] = await rob.send("acme trading")
    assert "already exists" in (dup.text or "") and "ACME Trading Ltd." in (dup.text or "")
    tap = await rob.tap("Open card")
    assert any(f"#{pool.id}" in (m.text or "") for m in tap.changed)

    await rob.send("/newcustomer")
    await rob.send("Brand New Co")
    await rob.tap("Skip")
    [dup] = await rob.send("139 0000 1111")
    assert "belongs to another rep" in (dup.text or "") and "Rita" not in (dup.text or "")
    assert rob.buttons() == []
    assert await Customer.all().count() == 2
    [after] = await rob.send("hello")
    assert "Use the menu or /help" in (after.text or "")


async def test_cancel_bad_input_and_edits(sim: Sim) -> None:
    rep = await sim.member(Role.REP, name="Rob")
    await rep.send("/newcustomer")
    [reply] = await rep.share_location(31.2, 121.4)
    assert "type the answer as text" in (reply.text or "")
    [reply] = await rep.send("x" * 201)
    assert "at most 200 characters" in (reply.text or "")
    await rep.send("Acme")
    await rep.send("Li Ming")
    await rep.send("13812345678")
    await rep.tap("Skip")
    await rep.tap("Skip")
    tap = await rep.tap("Skip")
    assert "Please check" in (tap.changed[-1].text or "")
    [reply] = await rep.send("save it please")
    assert "use the buttons" in (reply.text or "")
    await rep.tap("Edit")
    await rep.tap("Phone")
    [summary] = await rep.send("139 1234 5678")
    assert "+8613912345678" in (summary.text or "") and "Please check" in (summary.text or "")
    [done] = await rep.send("/cancel")
    assert "Nothing was saved" in (done.text or "")
    assert await Customer.all().count() == 0

    agent = await sim.member(Role.AGENT)
    [refused] = await agent.send("/newcustomer")
    assert "not available for your role" in (refused.text or "")
