"""Account pages besides Django's own: the password change, throttled like the login."""

from django.contrib.auth.views import PasswordChangeView

from ..forms.accounts import ThrottledPasswordChangeForm


class ThrottledPasswordChangeView(PasswordChangeView):
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
