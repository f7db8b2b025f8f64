"""Development email: print each message and keep a copy in EMAIL_FILE_PATH,
so a person trying the portal can open verification links."""

import secrets

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class UniqueFileBackend(FileBackend):
    """Django names the file after the second and the backend's id(); two backends
    made in the same second can share an address, and so one file. A random part
    keeps each connection's emails apart."""

    def _get_filename(self):
        if self._fname is None:
            base = super()._get_filename()
            self._fname = base.removesuffix(".log") + f"-{secrets.token_hex(4)}.log"
        return self._fname


class ConsoleAndFileBackend(ConsoleBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_backend = UniqueFileBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        self.file_backend.send_messages(email_messages)
        return super().send_messages(email_messages)
