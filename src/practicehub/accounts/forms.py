from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.accounts.services import signin, tree


class SignInForm(AuthenticationForm):
    """Password sign-in that refuses locked accounts and counts failures towards a lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No autofocus: a screen reader or keyboard user starts at the top of the page (skip
        # link, heading) instead of being dropped into the username box.
        self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        try:
            account = signin.refuse_if_locked(self.cleaned_data.get("username") or "")
            try:
                return super().clean()
            except forms.ValidationError:
                signin.count_failure(account)
                raise
        except signin.Locked as locked:
            raise forms.ValidationError(str(locked), code="locked") from None

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        signin.note_success(user)


class NodeForm(forms.ModelForm[OrgNode]):
    def __init__(self, *args: Any, parents: list[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = OrgNode.objects.filter(pk__in=[node.pk for node in parents])
        parent_field.required = True
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [c for c in NodeKind.choices if c[0] != NodeKind.STATE]

    class Meta:
        model = OrgNode
        fields = ["name", "code", "kind", "partner_kind", "parent", "fips"]

    def clean_parent(self) -> OrgNode:
        parent: OrgNode = self.cleaned_data["parent"]
        try:
            tree.refuse_cycle(self.instance, parent)
        except tree.CycleRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return parent


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               label="Initial password",
                               help_text="At least 12 characters; the person can change it later.")

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Somebody already has this user name.")
        return username

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        password_validation.validate_password(password)
        return password


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    node = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Site")

    def __init__(self, *args: Any, nodes: list[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node_field = self.fields["node"]
        assert isinstance(node_field, forms.ModelChoiceField)
        node_field.queryset = OrgNode.objects.filter(pk__in=[node.pk for node in nodes])
