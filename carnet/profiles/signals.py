"""Signals other parts of Carnet listen to instead of being called from profile services.

`profile_changed` is sent after the transaction commits, with keyword arguments:
- `profile`: the Profile;
- `section`: "profile" (intro/about/contact fields), "photo", "banner", "skills" or a key
  of `registry.SECTIONS` ("positions", "education"...);
- `item`: the section item created or changed (None for profile fields);
- `created`: True when the item is new;
- `previous`: the former values of the fields that changed ({} for a new item).
The profile history (timeline, "updated ... ago") and search indexing hang off it.
"""

from django.dispatch import Signal

profile_changed = Signal()
