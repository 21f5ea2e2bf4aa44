"""The web front of a campaign (``effectifs serve``): the secretary's pages behind a login and each company's
private self-check page, server-rendered in French, working without JavaScript. Everything goes through the
library (:class:`pipeline.api.Project`); this package only reads requests and renders pages.

Entry point: :func:`pipeline.web.app.create_app`.
"""
