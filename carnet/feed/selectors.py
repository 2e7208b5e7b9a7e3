"""Reads of posts, through the visibility policy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from carnet.core import visibility
from carnet.core.compiled import CompiledQuery, compiled
from carnet.feed.models import Post
from carnet.profiles.selectors import profile_view

# Above this many authors (connections and follows), filter posts by subqueries, not by a list.
LARGE_NETWORK = 2000
# A hub's network posts are first looked for among this many newest posts of everyone: with
# thousands of connections, enough of them are there (30,000 of 100,000 members: ~150 of 500).
RECENT_WINDOW = 500


def post_list_for_home(*, viewer, limit: int = 20) -> list[dict]:
    """Recent posts the viewer may see: their network's first when signed in, public ones otherwise.

    Returns dicts of the post and its author card (already projected by the policy), in a
    fixed number of queries.
    """
    # Candidates as plain values (id, author, audience): the policy picks the posts to show,
    # then only those are loaded with their authors' card columns.
    qs = Post.objects.order_by("-created", "-id").values_list("id", "author_id", "audience")
    if viewer is not None and viewer.is_authenticated:
        candidates = _network_candidates(viewer_id=viewer.pk, posts=qs, wanted=limit * 3)
        if len(candidates) < limit:
            seen = {row[0] for row in candidates}
            candidates += [row for row in qs.filter(audience="public")[: limit * 2] if row[0] not in seen]
    else:
        candidates = list(qs.filter(audience="public")[: limit * 2])
    pairs = visibility.relations_with_degrees(viewer, [author_id for _pk, author_id, _audience in candidates])
    chosen = [pk for pk, author_id, audience in candidates if visibility.allows(audience, pairs[author_id][0])][
        : limit + 5
    ]  # a few spare, for authors without a profile
    loaded = _load_posts(chosen, size=limit + 5)
    # In the candidates' order: the network's posts first, then the public ones that fill up.
    rank = {pk: index for index, pk in enumerate(chosen)}
    posts = sorted(loaded, key=lambda post: rank[post.pk])
    items = []
    for post in posts:
        relation, degree = pairs[post.author_id]
        if not hasattr(post.author, "profile"):
            continue
        items.append(
            {
                "post": post,
                "author": profile_view(post.author.profile, relation=relation, degree=degree, viewer=viewer, card=True),
            }
        )
        if len(items) == limit:
            break
    return items


def _network_candidates(*, viewer_id: int, posts, wanted: int) -> list[tuple]:
    """The `wanted` newest of `posts` (id, author, audience rows) written by the viewer, their
    connections and the members they follow, in order."""
    from carnet.network.models import Connection, Follow

    # Followed members are here for their posts the policy lets the viewer see (public ones).
    connected = Connection.objects.filter(member_id=viewer_id).values_list("other_id", flat=True)
    followed = Follow.objects.filter(follower_id=viewer_id).values_list("followed_id", flat=True)
    if not _known_hub(viewer_id):
        # At most LARGE_NETWORK + 1 of them: a hub's 30,000 ids are not needed, only the fact.
        # UNION ALL stops reading at the cut (UNION read and deduplicated all of them: 14 ms).
        authors = list(connected.union(followed, all=True)[: LARGE_NETWORK + 1])
        if len(authors) <= LARGE_NETWORK:
            # A typical network: the (author, created) index, a few posts per author.
            ids = _id_list({*authors, viewer_id})
            return list(posts.extra(where=[f"author_id IN ({ids})"])[:wanted])  # noqa: S610 - integers only
    # A hub's thousands of authors. The newest posts of everyone, then which of their authors
    # are in the hub's network (one indexed lookup of a few hundred pairs): ~2 ms, where
    # filtering posts by subqueries of the hub's network hashed all of it first (15-25 ms on
    # PostgreSQL), and a literal list of 30,000 ids made it sort every matching post (over a
    # second; both measured in bench/pages.py).
    recent = list(posts[:RECENT_WINDOW])
    if not recent:
        return []
    seen = _id_list(author_id for _pk, author_id, _audience in recent)
    mine = set(
        connected.extra(where=[f"other_id IN ({seen})"]).union(  # noqa: S610 - integers only (_id_list)
            followed.extra(where=[f"followed_id IN ({seen})"]),  # noqa: S610 - integers only (_id_list)
            all=True,
        )
    )
    mine.add(viewer_id)
    found = [row for row in recent if row[1] in mine]
    if len(found) >= wanted or len(recent) < RECENT_WINDOW:
        # Exact: any older post of the network comes after these (or there is none).
        return found[:wanted]
    # A network that wrote too few of the newest posts: PostgreSQL walks posts by date and
    # tests each author in a hash of the network.
    by_author = Q(author_id__in=connected) | Q(author_id__in=followed) | Q(author_id=viewer_id)
    return list(posts.filter(by_author)[:wanted])


def _id_list(ids: Iterable[int]) -> str:
    """Member ids as the inside of an SQL `IN (...)`, as integer literals (int() of each, so
    nothing else can get in). Hundreds of ids as query parameters cost more CPU than the rest
    of the query: Django prepares each value and the driver parses each placeholder (~2 ms for
    a hub's 800, ~0.3 ms for a typical network's 100)."""
    return ",".join(str(int(member_id)) for member_id in sorted(set(ids)))


def _known_hub(viewer_id: int) -> bool:
    """True when the graph engine counts more than LARGE_NETWORK connections for the viewer:
    their feed takes the hub's path without first reading 2,001 of their ids (~1 ms of CPU).
    Only the path depends on it (both give the same posts), so an engine a change behind, or
    not ready (False), costs time, never correctness."""
    from carnet.network import graph

    index = graph.engine()
    return index is not None and index.connection_count(viewer_id) > LARGE_NETWORK


def _post_queryset(ids):
    return Post.objects.filter(pk__in=ids).select_related("author", "author__profile").only(*POST_COLUMNS)


def _load_posts(ids: list[int], *, size: int) -> list:
    """The posts `ids` (at most `size`) with their authors' card columns, in no set order.

    Up to `size` ids from SQL built once per size (carnet.core.compiled): building
    it cost the ORM ~0.45 ms of CPU per home page (three tables, 16 columns), more than running
    it. The list is padded with its last id, which changes nothing. More ids: the ORM."""
    if not ids:
        return []
    if len(ids) > size:
        return list(_post_queryset(ids))
    sentinels = [-(number + 1) for number in range(size)]  # never post ids: they mark the slots
    query = compiled(f"feed.load_posts.{size}", lambda: CompiledQuery(_post_queryset(sentinels), sentinels))
    if query is None:
        return list(_post_queryset(ids))
    return query.run(*(ids + ids[-1:] * (size - len(ids))))


# What a post of the feed shows: the post, and its author's card (profile_view(card=True)).
POST_COLUMNS = (
    "id", "created", "author_id", "body", "audience",
    "author__id", "author__first_name", "author__last_name", "author__email", "author__is_active",
    "author__profile__user_id", "author__profile__slug", "author__profile__headline", "author__profile__photo",
    "author__profile__location", "author__profile__visibility",
)  # fmt: skip
