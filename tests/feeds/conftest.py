# The forum tests' communities and threads (alice facilitates, bob is a member).
from tests.forums.conftest import community, private_community, private_thread, thread  # noqa: F401
