"""The scoping rules, as modules outside the accounts models import them.

The rules live in ``practicehub.accounts.scoping`` (below the models, which use them). This
module names them for the outcome services and the accounts API, which import them from here;
new code imports ``practicehub.accounts.scoping``.
"""

from practicehub.accounts.scoping import (
    assignments_of,
    has_capability,
    home_nodes,
    path_filter,
    scope_paths,
)

__all__ = ["assignments_of", "has_capability", "home_nodes", "path_filter", "scope_paths"]
