"""Creating users with a role, for the CLI and the demo."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .roles import Role


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
):
    """Create the user or reset its password and role; only administrators get the admin site."""
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    return user
