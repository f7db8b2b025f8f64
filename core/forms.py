"""allauth's account forms with GOV.UK wording: sentence-case labels, error messages
that say what to do, no placeholders (GOV.UK asks for labels and hints instead), and
no "Forgot your password?" inside the password hint (the page links to it instead)."""

from allauth.account import forms as allauth_forms

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.gov.uk"


def _reword(form, fields: dict[str, tuple[str, str]]) -> None:
    """Give each named field (label, message when it is left empty)."""
    for name, (label, required) in fields.items():
        if name in form.fields:
            field = form.fields[name]
            field.label = label
            field.error_messages["required"] = required
            if name in {"login", "email"}:
                field.error_messages["invalid"] = EMAIL_FORMAT


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        _reword(
            self,
            {
                "login": ("Email address", "Enter your email address"),
                "password": ("Password", "Enter your password"),
                "remember": ("Keep me signed in on this device", ""),
            },
        )


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].help_text = ""
        _reword(
            self,
            {
                "oldpassword": ("Current password", "Enter your current password"),
                "password1": ("New password", "Enter a new password"),
                "password2": ("Confirm new password", "Enter your new password again"),
            },
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {
                "password1": ("Password", "Enter a password"),
                "password2": ("Confirm password", "Enter the password again"),
            },
        )


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _reword(
            self,
            {
                "password1": ("New password", "Enter a new password"),
                "password2": ("Confirm new password", "Enter your new password again"),
            },
        )


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _reword(self, {"email": ("Email address", "Enter your email address")})


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _reword(self, {"email": ("New email address", "Enter your new email address")})
