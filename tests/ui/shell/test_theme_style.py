"""The app's style and theme parts that the screenshots show: no platform icons on dialog
buttons, a drawn combo arrow, a × to dismiss a banner."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProxyStyle, QStyle

from codaiq_desktop.ui.shell.theme import install_theme, theme_manager
from codaiq_desktop.ui.common.widgets import MessageBanner


class _PlatformLikeStyle(QProxyStyle):
    """Fusion as a Linux desktop's platform theme makes it: icons on dialog buttons."""

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, returnData)


def test_dialog_buttons_carry_no_platform_icons_and_combo_arrows_are_drawn(qapp) -> None:
    app = QApplication.instance()
    old_style, old_sheet, old_palette = app.style().name(), app.styleSheet(), app.palette()
    platform_like = _PlatformLikeStyle("Fusion")
    try:
        app.setStyleSheet("")
        app.setStyle(platform_like)
        plain = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert not any(button.icon().isNull() for button in plain.buttons())  # what the theme must undo
        for mode in ("light", "dark"):
            install_theme(app, mode)
            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            assert app.style().styleHint(QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons, None, box) == 0
            assert all(button.icon().isNull() for button in box.buttons())
            arrows = re.findall(r"QComboBox::down-arrow[^{]*\{[^}]*url\(([^)]+)\)", app.styleSheet())
            assert arrows and all(Path(path).is_file() for path in arrows)
            assert all(mode in Path(path).name for path in arrows)
    finally:
        app.setStyle(old_style)
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
        theme_manager().mode = "system"


def test_a_banner_is_dismissed_with_a_cross(qtbot) -> None:
    banner = MessageBanner()
    qtbot.addWidget(banner)
    banner.show_message("Something to say")
    assert banner.close_button.toolTip() == "Dismiss" and banner.close_button.accessibleName() == "Dismiss"
    cross = theme_manager().pixmap("close", banner.close_button.iconSize(), False)
    shown = banner.close_button.icon().pixmap(banner.close_button.iconSize())
    assert shown.toImage() == cross.toImage()
    banner.close_button.click()
    assert not banner.isVisible()


def test_the_checked_button_of_a_toggle_group_looks_checked(qtbot) -> None:
    """Mine / Unassigned / All: the user must see which one the table follows."""
    from codaiq_desktop.ui.team.assignment import SCOPE_ALL, SCOPE_MINE, AssigneeScopeBar

    app = QApplication.instance()
    old_style, old_sheet, old_palette = app.style().name(), app.styleSheet(), app.palette()
    try:
        for mode in ("light", "dark"):
            install_theme(app, mode)
            bar = AssigneeScopeBar()
            qtbot.addWidget(bar)
            bar.show()
            qtbot.waitExposed(bar)
            mine, every = bar.buttons[SCOPE_MINE], bar.buttons[SCOPE_ALL]
            assert every.isChecked() and not mine.isChecked()
            unchecked = mine.grab().toImage()
            checked_all = every.grab().toImage()
            bar.set_scope(SCOPE_MINE)
            assert mine.isChecked() and not every.isChecked()
            assert mine.grab().toImage() != unchecked
            assert every.grab().toImage() != checked_all
    finally:
        app.setStyle(old_style)
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
        theme_manager().mode = "system"
