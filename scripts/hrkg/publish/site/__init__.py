"""The Linked Data site: a static page per resource, index pages, timeline, network, search."""

from hrkg.publish.site.render import SiteReport, render_site

__all__ = ["SiteReport", "render_site"]
