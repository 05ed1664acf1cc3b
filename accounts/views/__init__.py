"""The pages of accounts and access governance, one module per sub-domain (``accounts.urls`` names them)."""

from .people import PortalLoginView, PortalLogoutView, PortalPasswordChangeView, locked_out

__all__ = ["PortalLoginView", "PortalLogoutView", "PortalPasswordChangeView", "locked_out"]
