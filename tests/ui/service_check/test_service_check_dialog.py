"""Help › Check the service, against both sandbox modes: the dialog runs the read-only probe
and says which features are degraded."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("mode", ["normal", "documented-only"])
def test_the_help_menu_checks_the_service(qtbot, mode, request, until) -> None:
    from codaiq_desktop.ui.shell.main_window import MainWindow
    from codaiq_desktop.ui.service_check.service_check_dialog import ServiceCheckDialog

    services = request.getfixturevalue("services" if mode == "normal" else "documented_services")
    sandbox = request.getfixturevalue("sandbox" if mode == "normal" else "documented_sandbox")
    key = request.getfixturevalue("services_key") if mode == "normal" else services.documented_key
    project_id, website_id = sandbox.generate("A florist in York", "Petals", key=key)
    sandbox.wait_ready(project_id, website_id, key=key)
    window = MainWindow(services)
    qtbot.addWidget(window)
    (action,) = [a for a in window.menuBar().actions() if a.text() == "&Help"]
    (check,) = [a for a in action.menu().actions() if a.text().startswith("Check the Service")]
    check.trigger()
    dialog = window.findChild(ServiceCheckDialog)
    until(lambda: dialog.report is not None, message=lambda: dialog.status_label.text())
    text = dialog.report_view.toPlainText()
    assert "websites[].metadata.buildStatus" in text and key not in text
    if mode == "normal":
        assert dialog.status_label.text() == "Every feature checked works fully with this service."
        assert "websites[].id" in text
    else:
        assert dialog.status_label.text().startswith("Degraded with this service: Build progress, Projects, Preview")
        assert "Extra fields the service sends (not in the docs):\n  (none)" in text
    dialog.copy_report()
    dialog.accept()
