"""The connection graph. A connection is stored as two directed rows (a→b and b→a) so that
"the connections of X" is one index range scan in either direction and recursive SQL
walks stay simple."""

from django.conf import settings
from django.db import models


class Connection(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_out")
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections_in")
    created = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="unique_connection"),
            models.CheckConstraint(condition=~models.Q(member=models.F("other")), name="no_self_connection"),
        ]

    def __str__(self):
        return f"{self.member_id} -> {self.other_id}"
