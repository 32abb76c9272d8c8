from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from partnercenter.core.errors import InvalidInput
from partnercenter.core.forms import add_errors

from . import services
from .forms import SignInForm, SignupForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@sensitive_post_parameters("password")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _tenant, user = services.tenant_signup(**form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Your work account %(domain)s is ready. You are its global admin.")
                % {"domain": user.tenant.domain},
            )
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})
