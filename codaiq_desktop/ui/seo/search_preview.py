"""The live preview beside the metadata editor: the search result (desktop, mobile) and the social card.

The result is drawn the way a results page draws it: site name and URL line, the title in
the results font cut by its pixel width, the snippet likewise, an ellipsis where the cut
falls, and a hint under it naming the last word that survives. It follows every keystroke
(the fields' ``textChanged``); nothing here waits on the network except the social card's
Open Graph tags, which the caller fetches and hands over with :meth:`SeoPreview.set_social_card`.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from codaiq_desktop.site_check.social_card import SocialCard
from codaiq_desktop.ui.seo.result_text import (
    DESKTOP,
    LAYOUTS,
    FittedText,
    ResultLayout,
    fit_description,
    fit_title,
    results_font,
)
from codaiq_desktop.ui.shell.theme import icon
from codaiq_desktop.ui.common.widgets import restyle

# A results page is white with its own colours whatever the app's theme: the preview shows that page.
_RESULT_STYLE = """
QFrame#searchResultCard, QFrame#socialCard { background: #ffffff; border: 1px solid #dadce0; border-radius: 8px; }
QFrame#searchResultCard QLabel, QFrame#socialCard QLabel { background: transparent; }
QLabel#resultSiteName { color: #202124; }
QLabel#resultUrl { color: #4d5156; }
QLabel#resultTitle { color: #1a0dab; }
QLabel#resultDescription { color: #4d5156; }
QLabel#socialImage { background: #e4e6eb; color: #65676b; }
QLabel#socialDomain { color: #65676b; }
QLabel#socialTitle { color: #050505; }
QLabel#socialDescription { color: #65676b; }
"""
_VIEWS = ("desktop", "mobile", "social")


class SearchResultCard(QFrame):
    """One search result, drawn at the width of a desktop or a phone results page."""

    def __init__(self, layout: ResultLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResultCard")
        self.layout_spec = layout
        self.site_label = QLabel()
        self.site_label.setObjectName("resultSiteName")
        self.url_label = QLabel()
        self.url_label.setObjectName("resultUrl")
        self.title_label = QLabel()
        self.title_label.setObjectName("resultTitle")
        self.title_label.setFont(results_font(layout.title))
        self.description_label = QLabel()
        self.description_label.setObjectName("resultDescription")
        self.description_label.setFont(results_font(layout.description))
        small = results_font(layout.description)
        small.setPixelSize(12 if layout.name == "mobile" else 14)
        self.site_label.setFont(small)
        self.url_label.setFont(small)
        for label in (self.site_label, self.url_label, self.title_label, self.description_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # titles are text, never markup
        # Lines are laid out by fit_text (so they break where the results page breaks them).
        self.description_label.setWordWrap(layout.name == "desktop")
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 14)
        box.setSpacing(2)
        box.addWidget(self.site_label)
        box.addWidget(self.url_label)
        box.addSpacing(4)
        box.addWidget(self.title_label)
        box.addWidget(self.description_label)
        # The text area is the results page's width; the card adds its margins.
        self.setFixedWidth(layout.card_width + 32)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)

    def show_result(self, site_name: str, url_line: str, title: FittedText, description: FittedText) -> None:
        self.site_label.setText(site_name)
        self.url_label.setText(url_line)
        self.title_label.setText("\n".join(title.lines) if title.text else "(no title)")
        self.description_label.setText(
            "\n".join(description.lines) if self.layout_spec.name == "mobile" else description.text
        )


class SocialCardView(QFrame):
    """A link shared on a social network: picture, domain, title, description."""

    IMAGE_HEIGHT = 262  # 1.91:1 at 500 px, the size networks ask og:image to have

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("socialCard")
        self.image_label = QLabel("No image (og:image)")
        self.image_label.setObjectName("socialImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setFixedSize(500, self.IMAGE_HEIGHT)
        self.domain_label = QLabel()
        self.domain_label.setObjectName("socialDomain")
        self.title_label = QLabel()
        self.title_label.setObjectName("socialTitle")
        self.description_label = QLabel()
        self.description_label.setObjectName("socialDescription")
        font = QFont()
        font.setFamilies(["Helvetica", "Arial", "Liberation Sans"])
        font.setPixelSize(12)
        self.domain_label.setFont(font)
        title_font = QFont(font)
        title_font.setPixelSize(16)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        description_font = QFont(font)
        description_font.setPixelSize(14)
        self.description_label.setFont(description_font)
        for label in (self.domain_label, self.title_label, self.description_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        text = QVBoxLayout()
        text.setContentsMargins(12, 8, 12, 10)
        text.setSpacing(2)
        text.addWidget(self.domain_label)
        text.addWidget(self.title_label)
        text.addWidget(self.description_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.image_label)
        box.addLayout(text)
        self.setFixedWidth(502)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        self._pixmap: QPixmap | None = None

    def show_card(self, domain: str, title: str, description: str, image: bytes | None) -> None:
        self.domain_label.setText(domain)
        metrics = self.title_label.fontMetrics()
        self.title_label.setText(metrics.elidedText(title, Qt.TextElideMode.ElideRight, 476))
        metrics = self.description_label.fontMetrics()
        self.description_label.setText(metrics.elidedText(description, Qt.TextElideMode.ElideRight, 476))
        pixmap = QPixmap()
        if image and pixmap.loadFromData(QByteArray(image)):
            self._pixmap = pixmap
            self.image_label.setPixmap(
                pixmap.scaled(
                    500,
                    self.IMAGE_HEIGHT,
                    Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                    Qt.TransformationMode.SmoothTransformation,
                ).copy(0, 0, 500, self.IMAGE_HEIGHT)
            )
        else:
            self._pixmap = None
            self.image_label.clear()
            self.image_label.setText("No image (og:image)" if not image else "The og:image could not be shown")

    @property
    def has_image(self) -> bool:
        return self._pixmap is not None


class SeoPreview(QWidget):
    """Search result (desktop or mobile) or social card, with the hints that say what gets cut."""

    sig_view_changed = Signal(str)
    """The user picked another preview: ``desktop``, ``mobile`` or ``social``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seoPreview")
        self.setStyleSheet(_RESULT_STYLE)
        self.site_name = ""
        self.url_line = ""
        self.title = ""
        self.description = ""
        self.saved_title = ""
        self.saved_description = ""
        self.social: SocialCard | None = None
        self.social_note = "Reading the site's Open Graph tags\u2026"
        self.fitted_title: FittedText | None = None
        self.fitted_description: FittedText | None = None

        self.buttons = QButtonGroup(self)
        self.view_buttons: dict[str, QToolButton] = {}
        switch = QHBoxLayout()
        switch.setSpacing(2)
        for key, text, icon_name, tip in (
            ("desktop", "Desktop", "desktop", "The result on a desktop results page (about 580 px of title)"),
            ("mobile", "Mobile", "mobile", "The result on a phone (title over two lines, snippet over three)"),
            ("social", "Social card", "globe", "The card a social network shows from the Open Graph tags"),
        ):
            button = QToolButton()
            button.setText(text)
            button.setIcon(icon(icon_name))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setObjectName(f"seoPreview_{key}")
            self.buttons.addButton(button)
            self.view_buttons[key] = button
            button.clicked.connect(lambda _=False, k=key: self.set_view(k))
            switch.addWidget(button)
        switch.addStretch(1)

        self.desktop_card = SearchResultCard(LAYOUTS["desktop"])
        self.mobile_card = SearchResultCard(LAYOUTS["mobile"])
        self.social_card = SocialCardView()
        self.stack = QStackedWidget()
        for card in (self.desktop_card, self.mobile_card, self.social_card):
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            page_layout.addWidget(card, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            page_layout.addStretch(1)
            self.stack.addWidget(page)
        self.stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.title_hint = QLabel()
        self.title_hint.setObjectName("seoPreviewTitleHint")
        self.title_hint.setWordWrap(True)
        self.description_hint = QLabel()
        self.description_hint.setObjectName("seoPreviewDescriptionHint")
        self.description_hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(switch)
        layout.addWidget(self.stack)
        layout.addWidget(self.title_hint)
        layout.addWidget(self.description_hint)
        layout.addStretch(1)
        self.view = "desktop"
        self.set_view("desktop")

    # ------------------------------------------------------------------ inputs
    def set_view(self, view: str) -> None:
        if view not in _VIEWS:
            return
        self.view = view
        self.view_buttons[view].setChecked(True)
        current = _VIEWS.index(view)
        for index in range(self.stack.count()):  # the stack takes the height of the card shown, not the tallest
            policy = QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            card = self.stack.widget(index)
            if card is not None:
                card.setSizePolicy(policy, policy)
        self.stack.setCurrentIndex(current)
        self.stack.updateGeometry()
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._refresh()
        self.sig_view_changed.emit(view)

    def set_site(self, site_name: str, domain: str | None, path: str = "/") -> None:
        """The site's name and address, for the URL line (``https://domain › path``)."""
        self.site_name = site_name
        host = (domain or "").removeprefix("https://").removeprefix("http://").rstrip("/")
        crumbs = [part for part in path.split("/") if part and part != "index.html"]
        self.url_line = " \u203a ".join([f"https://{host}" if host else "(no domain yet)", *crumbs])
        self._refresh()

    def set_saved(self, title: str, description: str) -> None:
        """The values saved on the server (the social card follows edits only where the page mirrors them)."""
        self.saved_title, self.saved_description = title.strip(), description.strip()
        self._refresh()

    def set_text(self, title: str, description: str) -> None:
        """What is in the editor now (called on every keystroke)."""
        self.title, self.description = title, description
        self._refresh()

    def set_social_card(self, card: SocialCard | None, note: str = "") -> None:
        """The served home page's Open Graph tags (``None`` while loading or when unreachable, with why)."""
        self.social = card
        self.social_note = note
        self._refresh()

    # ------------------------------------------------------------------ drawing
    def _refresh(self) -> None:
        layout = LAYOUTS["mobile"] if self.view == "mobile" else DESKTOP
        self.fitted_title = fit_title(self.title, layout)
        self.fitted_description = fit_description(self.description, layout)
        for card, card_layout in ((self.desktop_card, LAYOUTS["desktop"]), (self.mobile_card, LAYOUTS["mobile"])):
            if card_layout is layout:
                card.show_result(self.site_name, self.url_line, self.fitted_title, self.fitted_description)
        if self.view == "social":
            self._refresh_social()
            return
        for label, fitted, what in (
            (self.title_hint, self.fitted_title, "title"),
            (self.description_hint, self.fitted_description, "description"),
        ):
            label.setText(f"{layout.name.capitalize()}: {fitted.hint(what)}")
            label.setProperty("hint", "warning" if fitted.cut or not fitted.text else "ok")
            restyle(label)

    def _refresh_social(self) -> None:
        card = self.social
        if card is None:
            self.social_card.show_card("", self.title or "", self.description or "", None)
            self.title_hint.setText(self.social_note)
            self.title_hint.setProperty("hint", None)
            self.description_hint.clear()
            restyle(self.title_hint)
            return
        # Where the page's og:title is the saved SEO title, it follows the edit: show what is typed.
        follows_title = card.og_title is not None and card.og_title == self.saved_title
        follows_description = card.og_description is not None and card.og_description == self.saved_description
        title = self.title.strip() if follows_title else card.title
        description = self.description.strip() if follows_description else card.description
        self.social_card.show_card(card.domain, title, description, card.image)
        if not card.has_open_graph:
            self.title_hint.setText(
                "No Open Graph tags on the home page: networks fall back to its title and "
                "description, with no picture. The site check lists what to add."
            )
            self.title_hint.setProperty("hint", "warning")
        elif follows_title:
            self.title_hint.setText("The card's title (og:title) follows the SEO title.")
            self.title_hint.setProperty("hint", "ok")
        else:
            self.title_hint.setText(
                f"The card's title comes from the page's og:title, \u201c{card.og_title or card.title}\u201d,"
                " not from the SEO title."
            )
            self.title_hint.setProperty("hint", None)
        if card.image_url is None:
            self.description_hint.setText("No og:image: the card has no picture.")
            self.description_hint.setProperty("hint", "warning")
        elif card.image is None or not self.social_card.has_image:
            self.description_hint.setText(f"The og:image ({card.image_url}) could not be loaded.")
            self.description_hint.setProperty("hint", "warning")
        else:
            self.description_hint.setText(f"Picture from og:image ({card.image_url}).")
            self.description_hint.setProperty("hint", None)
        restyle(self.title_hint)
        restyle(self.description_hint)
