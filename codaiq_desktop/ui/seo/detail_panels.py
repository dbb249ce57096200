"""The SEO parts of the website detail pane, wired to its editor: preview beside it, site check below.

The detail pane owns the editor; this object owns the preview and the site check and
follows the editor's fields, so the pane itself needs only a few lines to host them.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QVBoxLayout, QWidget

from codaiq_desktop.site_check import SiteCheckError
from codaiq_desktop.site_check.social_card import read_social_card
from codaiq_desktop.ui.seo.search_preview import SeoPreview
from codaiq_desktop.ui.seo.site_check_panel import SiteCheckPanel
from codaiq_desktop.ui.services import AppServices

log = logging.getLogger(__name__)

SIDE_BY_SIDE_WIDTH = 1060
"""Below this width the preview goes under the editor instead of beside it."""


class SideBySide(QWidget):
    """Two widgets next to each other when there is room, one above the other when there is not."""

    def __init__(self, first: QWidget, second: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addWidget(first, 1)
        self.box.addWidget(second, 1)

    @property
    def beside(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= SIDE_BY_SIDE_WIDTH
            else QBoxLayout.Direction.TopToBottom
        )
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
        super().resizeEvent(event)


class SeoPanels(QObject):
    """Search-result and social-card preview plus site check for the website a detail pane shows.

    ``detail`` is the :class:`~codaiq_desktop.ui.projects.website_detail.WebsiteDetail`; its
    ``name_edit``, ``seo_title_edit`` and ``seo_description_edit`` are followed as they change.
    """

    def __init__(self, services: AppServices, detail: Any) -> None:
        super().__init__(detail)
        self.services = services
        self.detail = detail
        self.website: Any = None
        self.preview = SeoPreview()
        self.site_check = SiteCheckPanel(services)
        self.preview_box = QGroupBox("How it looks in search results and when shared")
        self.preview_box.setObjectName("seoPreviewBox")
        QVBoxLayout(self.preview_box).addWidget(self.preview)
        self.check_box = QGroupBox("Site check")
        self.check_box.setObjectName("siteCheckBox")
        QVBoxLayout(self.check_box).addWidget(self.site_check)
        self._card_key: tuple[str, Any] | None = None
        self._card_task: asyncio.Task[Any] | None = None
        detail.name_edit.textChanged.connect(self.typed)

    def beside(self, editor: QWidget) -> SideBySide:
        """The editor with the preview beside it (or under it, in a narrow pane)."""
        return SideBySide(editor, self.preview_box)

    def show_website(self, website: Any, site_url: str | None) -> None:
        """A website was shown, refreshed or saved: URL line, saved values, social card, site check."""
        self.website = website
        self.preview_box.setEnabled(website is not None)
        if website is None:
            self.preview.set_site("", None)
            self.preview.set_saved("", "")
            self.preview.set_social_card(None, "Select a website to see its social card.")
            self.site_check.show_website(None, None)
            self._card_key = None
            return
        self.preview.set_site(website.name or "", website.domain)
        self.preview.set_saved(website.seo_title or "", website.seo_description or "")
        self.site_check.show_website(website, site_url if website.build_status == "ready" else None)
        self._load_social_card(website, site_url)

    def typed(self, *_: object) -> None:
        """The editor's fields changed (each keystroke): redraw the preview from them."""
        detail = self.detail
        if self.website is not None:
            self.preview.site_name = detail.name_edit.text().strip() or self.website.name or ""
        self.preview.set_text(detail.seo_title_edit.text(), detail.seo_description_edit.toPlainText())

    def _load_social_card(self, website: Any, site_url: str | None) -> None:
        key = (website.id or website.domain or "", website.updated_at)
        if key == self._card_key:
            return
        self._card_key = key
        if self._card_task is not None and not self._card_task.done():
            self._card_task.cancel()
        if website.build_status != "ready" or not site_url:
            why = (
                "The social card appears when the site is built."
                if website.build_status != "ready"
                else "This website has no address yet, so its Open Graph tags cannot be read."
            )
            self.preview.set_social_card(None, why)
            return
        self.preview.set_social_card(None, "Reading the site's Open Graph tags\u2026")

        def failed(exc: BaseException) -> None:
            if self._card_key == key:
                self._card_key = None  # try again next time the site is shown
                reason = str(exc) if isinstance(exc, SiteCheckError) else self.services.describe_error(exc)
                self.preview.set_social_card(None, f"The social card could not be read. {reason}")

        def loaded(card: Any) -> None:
            if self._card_key == key:
                self.preview.set_social_card(card)

        self._card_task = self.services.run(
            read_social_card(site_url), on_success=loaded, on_error=failed, owner=self.preview
        )
