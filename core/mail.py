"""Development email: print each message and keep a copy in EMAIL_FILE_PATH,
so a person trying the portal can open verification links."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(ConsoleBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_backend = FileBackend(*args, **kwargs)

    def send_messages(self, email_messages):
        self.file_backend.send_messages(email_messages)
        return super().send_messages(email_messages)
