"""The Generate tab against the real sandbox: validation, live build card, history."""

from __future__ import annotations

from PySide6.QtCore import Qt

from codaiq_desktop.ui.generate.generate_tab import MAX_PROMPT_CHARS, GenerateTab


def _tab(qtbot, services) -> GenerateTab:
    tab = GenerateTab(services)
    qtbot.addWidget(tab)
    tab.show()
    tab.activateWindow()  # shortcuts only fire in the active window
    qtbot.waitUntil(tab.isActiveWindow)
    return tab


def test_empty_prompt_is_explained_not_sent(qtbot, services) -> None:
    tab = _tab(qtbot, services)
    qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert tab.hint_label.isVisible()
    assert "Describe the site first" in tab.hint_label.text()
    assert tab.cards() == []
    assert tab.history_model.rowCount() == 0


def test_over_limit_prompt_counts_and_explains(qtbot, services) -> None:
    tab = _tab(qtbot, services)
    tab.prompt_edit.setPlainText("x" * (MAX_PROMPT_CHARS + 5))
    assert tab.count_label.text() == "4,005 / 4,000"
    assert "5 characters over" in tab.hint_label.text()
    tab.generate()
    assert tab.cards() == []
    tab.prompt_edit.setPlainText("A bakery")
    assert not tab.hint_label.isVisible()
    assert tab.count_label.text() == "8 / 4,000"


def test_generate_builds_live_until_ready_and_asks_for_preview(qtbot, services, until) -> None:
    tab = _tab(qtbot, services)
    opened: list[tuple[str, str]] = []
    services.sig_open_preview.connect(lambda p, w: opened.append((p, w)))
    tab.prompt_edit.setPlainText("A bakery in Leeds with a cake order form")
    tab.name_edit.setText("Crumb")
    qtbot.keyClick(tab.prompt_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert len(tab.cards()) == 1
    card = tab.cards()[0]
    seen: list[str | None] = []
    original_apply = card.apply
    card.apply = lambda update: (seen.append(update.status), original_apply(update))  # type: ignore[method-assign]
    until(lambda: card.status == "ready", message="the build card never showed ready")

    assert card.badge.text() == "Ready"
    assert card.progress.value() == 100
    assert card.preview_button.isVisible()
    assert seen[-1] == "ready"
    assert len(opened) == 1
    record = tab.history_model.record(0)
    assert record is not None and record.result == "ready" and record.name == "Crumb"
    assert opened[0] == (record.project_id, record.website_id)
    assert card.source_label.text() == "Live via webhooks"


def test_history_is_per_account_and_reusable(qtbot, services, until, qtmodeltester) -> None:
    tab = _tab(qtbot, services)
    tab.use_prompt("A yoga studio in Bristol", "Stillness")
    tab.generate()
    until(lambda: tab.cards()[0].status == "ready")
    qtmodeltester.check(tab.history_model, force_py=True)
    tab.prompt_edit.clear()
    tab.name_edit.clear()
    tab.reuse(0)
    assert tab.prompt_edit.toPlainText() == "A yoga studio in Bristol"
    assert tab.name_edit.text() == "Stillness"
    # Another account sees its own (empty) history; coming back shows the record again.
    from codaiq_desktop.accounts import Account

    account = services.account
    services.sig_account_changed.emit(Account(name="Other agency"))
    assert tab.history_model.rowCount() == 0
    services.sig_account_changed.emit(account)
    assert tab.history_model.rowCount() == 1


def test_a_failed_build_shows_its_reason_and_try_again_sends_the_same_prompt(qtbot, services, until) -> None:
    """A prompt with no words is accepted and its build fails (the sandbox's documented way)."""
    tab = _tab(qtbot, services)
    tab.use_prompt("1234 !!!", "Numbers")
    tab.generate()
    card = tab.cards()[0]
    until(lambda: card.status == "failed", message="the build card never showed the failure")
    assert card.badge.text() == "Failed"
    assert card.error_label.isVisible() and card.error_label.text()
    assert "Traceback" not in card.error_label.text()
    assert card.retry_button.isVisible()
    assert tab.history_model.record(0).result == "failed"
    first_site = card.website.id

    qtbot.mouseClick(card.retry_button, Qt.MouseButton.LeftButton)
    assert len(tab.cards()) == 1 and tab.cards()[0] is not card  # the failed card gave way
    again = tab.cards()[0]
    until(lambda: again.status == "failed", message="the retried build never ended")
    assert again.website.id != first_site
    assert tab.history_model.rowCount() == 2
    assert {tab.history_model.record(r).prompt for r in range(2)} == {"1234 !!!"}


def test_stop_following_leaves_the_build_to_the_server(
    qtbot, services, sandbox, services_key, sandbox_faults, until
) -> None:
    # Every status fetch is slow, so the card is still following when the user stops it.
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "latency", "delay": 1.5})
    tab = _tab(qtbot, services)
    tab.use_prompt("A barber shop in Cork", "Fade")
    tab.generate()
    card = tab.cards()[0]
    until(lambda: "Accepted as" in card.step_label.text(), message="the build was never accepted")
    follower = next(f for c, f in tab._cards if c is card)
    until(lambda: follower is not None and follower.running)
    assert card.cancel_button.isVisible()
    qtbot.mouseClick(card.cancel_button, Qt.MouseButton.LeftButton)
    assert "Stopped following" in card.step_label.text()
    assert not card.cancel_button.isVisible() and card.dismiss_button.isVisible()
    record = tab.history_model.record(0)
    assert record.result == "stopped"
    until(lambda: not follower.running, message="the follower kept running after Stop")
    # The server's build went on to the end regardless; the card no longer follows it.
    sandbox_faults.clear()
    website = sandbox.wait_ready(record.project_id, record.website_id, key=services_key)
    assert website["metadata"]["buildStatus"] == "ready"
    assert card.status != "ready"


def test_a_real_account_polls_until_webhooks_show_they_arrive(
    qtbot, services, sandbox_faults, until, monkeypatch
) -> None:
    """Without the sandbox's automatic registration the card polls, then goes live on the first event."""
    from codaiq_desktop.ui.generate.build_card import BuildCard

    # Status fetches slower than the build: the site's "published" webhook arrives while
    # the card is still following (the test's point), not after it saw "ready".
    sandbox_faults.set({"path": "/api/project", "method": "GET", "kind": "latency", "delay": 0.8})

    sources: list[str] = []
    original = BuildCard.set_source
    monkeypatch.setattr(BuildCard, "set_source", lambda card, source: (sources.append(source), original(card, source)))
    monkeypatch.setattr(services, "is_sandbox", False)
    tab = _tab(qtbot, services)
    tab.use_prompt("A ceramics studio in Kyoto", "Kiln")
    tab.generate()
    card = tab.cards()[0]
    until(lambda: card.status == "ready", message="the build card never showed ready")
    assert sources[0] == "polling"
    # The account's webhook (pointed at this receiver by the fixture) delivered events for the site.
    until(lambda: "webhooks" in sources, message="the card never noticed the webhooks")
    assert card.source_label.text() == "Live via webhooks"


def test_repeated_clicks_send_one_request_and_a_repeat_asks_first(qtbot, services, until) -> None:
    tab = _tab(qtbot, services)
    tab.use_prompt("A florist in York with a same-day delivery form", "Petals")
    for _ in range(3):  # three clicks in a row, before the first answer
        qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert not tab.generate_button.isEnabled()
    assert tab.generate_button.text() == "Sending\u2026"
    assert len(tab.cards()) == 1 and tab.history_model.rowCount() == 1
    until(lambda: tab.generate_button.isEnabled(), message="the first generation was never answered")

    # The same prompt and name again, moments later: nothing is sent until the user confirms.
    qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert len(tab.cards()) == 1 and tab.history_model.rowCount() == 1
    assert tab.banner.isVisible() and "same prompt and name" in tab.banner.text()
    assert tab.banner.action_button.text() == "Generate another"
    qtbot.mouseClick(tab.banner.action_button, Qt.MouseButton.LeftButton)
    assert len(tab.cards()) == 2 and not tab.banner.isVisible()
    until(lambda: tab.generate_button.isEnabled())

    # A different name is a different site: no question asked.
    tab.name_edit.setText("Petals North")
    qtbot.mouseClick(tab.generate_button, Qt.MouseButton.LeftButton)
    assert len(tab.cards()) == 3 and not tab.banner.isVisible()
    until(lambda: tab.generate_button.isEnabled())

    projects: list = []
    services.run(services.client.list_projects(), projects.extend)
    until(lambda: bool(projects))
    names = sorted(w.name for p in projects for w in p.websites)
    assert names == ["Petals", "Petals", "Petals North"]


def test_editing_the_prompt_withdraws_the_duplicate_question(qtbot, services, until) -> None:
    tab = _tab(qtbot, services)
    tab.use_prompt("A dentist in Bath", "")
    tab.generate()
    until(lambda: tab.generate_button.isEnabled())
    tab.generate()
    assert tab.banner.isVisible()
    tab.prompt_edit.setPlainText("A dentist in Bath with emergency appointments")
    assert not tab.banner.isVisible()
    tab.banner.sig_action.emit()  # a stale confirmation sends nothing
    assert len(tab.cards()) == 1


def test_the_length_hint_goes_when_the_prompt_is_cleared(qtbot, services) -> None:
    tab = _tab(qtbot, services)
    tab.prompt_edit.setPlainText("x" * (MAX_PROMPT_CHARS + 1))
    assert tab.hint_label.isVisible() and "local sandbox" in tab.hint_label.text()
    tab.prompt_edit.clear()
    assert not tab.hint_label.isVisible()


def test_prompt_limit_is_the_sandboxs_only(qtbot, services, qloop, sandbox, services_key) -> None:
    from codaiq_desktop.accounts import Account

    tab = _tab(qtbot, services)
    assert "4,000 characters" in tab.count_label.toolTip() and "documents no limit" in tab.count_label.toolTip()
    remote = Account(name="Agency", base_url=sandbox.base_url)
    qloop.run(services.activate(remote, services_key, base_url=sandbox.base_url))
    tab.prompt_edit.setPlainText("x" * (MAX_PROMPT_CHARS + 5))
    assert tab.count_label.text() == "4,005 characters"
    assert not tab.hint_label.isVisible()


def test_build_card_is_titled_with_the_site_name_and_history_explains_when_empty(qtbot, services, until) -> None:
    tab = _tab(qtbot, services)
    assert tab.history_empty_label.isVisible() and not tab.history_view.isVisible()
    assert "No prompts yet" in tab.history_empty_label.text()
    tab.use_prompt("A calm website for a yoga studio in Bristol with a class timetable", "")
    tab.generate()
    card = tab.cards()[0]
    assert card.title_label.text() == "New site"  # not the prompt a second time
    assert not tab.history_empty_label.isVisible() and tab.history_view.isVisible()
    until(lambda: card.status == "ready")
    assert card.title_label.text() == card.website.name
    assert card.title_label.text() != card.prompt_label.text()
