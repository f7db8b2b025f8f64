"""Reads for forum pages. Other apps' pages (the community home) call these."""


def community_thread_list(request, community) -> dict:
    """Context for the thread list on a community's home page
    (rendered by templates/forums/_community_threads.html)."""
    return {}
