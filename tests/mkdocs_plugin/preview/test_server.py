"""The preview's HTTP side without a build: change numbering and the reload script tag."""

from __future__ import annotations

import threading

from patternbook.mkdocs_plugin.preview.server import RELOAD_SCRIPT_PATH, ChangeLog, inject_reload_script


def test_changes_are_announced_as_page_urls_after_the_number_a_page_was_served_at() -> None:
    changes = ChangeLog()
    changes.publish(["patterns/a/index.html", "assets/diagrams/a--overview.svg"])
    seen = changes.latest
    changes.publish(["patterns/b/index.html", "index.html"])
    assert changes.wait_after(0, timeout=0) == (2, ["/", "/assets/diagrams/a--overview.svg", "/patterns/a/",
                                                    "/patterns/b/"])
    assert changes.wait_after(seen, timeout=0) == (2, ["/", "/patterns/b/"])
    changes.publish([])
    assert changes.latest == 2  # nothing changed, nothing announced


def test_a_waiting_stream_wakes_on_a_change_and_on_close() -> None:
    changes = ChangeLog()
    received: list[tuple[int, list[str]]] = []
    waiter = threading.Thread(target=lambda: received.append(changes.wait_after(0, timeout=30)))
    waiter.start()
    changes.publish(["patterns/a/index.html"])
    waiter.join(timeout=10)
    assert received == [(1, ["/patterns/a/"])]
    waiter = threading.Thread(target=lambda: received.append(changes.wait_after(1, timeout=30)))
    waiter.start()
    changes.close()
    waiter.join(timeout=10)
    assert not waiter.is_alive() and received[-1] == (1, [])


def test_the_reload_script_is_an_external_file_placed_before_the_body_ends() -> None:
    html = b"<html><head></head><body><p>x</p></body></html>"
    tagged = inject_reload_script(html, 7)
    assert tagged == (b'<html><head></head><body><p>x</p><script src="' + RELOAD_SCRIPT_PATH.encode()
                      + b'" data-since="7"></script></body></html>')
