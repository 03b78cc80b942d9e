from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadPublicWriteAnalyst(BasePermission):
    """Reading follows TRACKER_PUBLIC; writing needs the permission to record updates."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return settings.TRACKER_PUBLIC or bool(request.user and request.user.is_authenticated)
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("commitments.add_statusupdate")
        )


class ReadPublicWriteEditor(ReadPublicWriteAnalyst):
    """Reading follows TRACKER_PUBLIC; writing needs the permission to edit commitments
    (Editors), as changing the register's deadlines does."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return super().has_permission(request, view)
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("commitments.change_commitment")
        )
