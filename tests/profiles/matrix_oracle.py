"""The visibility matrices' oracle: who each audience admits, written out by hand so that the
policy (carnet/core/visibility.py) is checked against an independent statement of the rule."""

AUDIENCES = ("public", "members", "network", "connections", "only_me")
VIEWERS = ("anonymous", "member", "second_degree", "connection", "self")
ADMITS = {
    "public": {"anonymous", "member", "second_degree", "connection", "self"},
    "members": {"member", "second_degree", "connection", "self"},
    "network": {"second_degree", "connection", "self"},
    "connections": {"connection", "self"},
    "only_me": {"self"},
}
