"""SEO in the Projects tab: the live search-result and social-card preview beside the metadata
editor, and the site check (static checks from ``codaiq_desktop.site_check`` plus the
axe-core accessibility audit in Qt WebEngine)."""
