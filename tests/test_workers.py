"""Stories checked in forked processes give exactly what one process gives: stories, messages, order."""

from __future__ import annotations

import pytest

from panchina import pipeline
from panchina.errors import BuildFailed
from tests.conftest import TODAY


def load_messages(project, workers: int) -> list[str]:
    try:
        pipeline.load(project.content, TODAY, with_warnings=True, workers=workers)
    except BuildFailed as failure:
        return [str(error) for error in failure.errors]
    raise AssertionError("the content has mistakes: the load must fail")


def test_parallel_checks_keep_every_message_in_file_order(project, monkeypatch):
    for number in range(30):
        project.story(f"2025/story-{number:02d}.md", coach=f"Coach {number}", date=f"2025-01-{number % 28 + 1:02d}")
    project.story("2025/story-07.md", date="2025-13-01")
    project.story("2025/story-19.md", coach=None, extra="clubz: [Milan]")
    project.story("2025/story-28.md", body="![a crest](crest.png)")
    sequential = load_messages(project, workers=1)
    monkeypatch.setattr(pipeline, "PARALLEL_CHECKS", 0)
    parallel = load_messages(project, workers=2)
    assert parallel == sequential
    assert [message.split("/stories/")[1].split(":")[0] for message in sequential] == [
        "2025/story-07.md", "2025/story-19.md", "2025/story-19.md"]


def test_parallel_checks_give_the_same_stories(project, monkeypatch):
    for number in range(30):
        project.story(f"2025/story-{number:02d}.md", coach=f"Coach {number % 7}",
                      clubs=f"[Club {number % 5}]", date=f"2025-02-{number % 28 + 1:02d}")
    project.story("2025/story-03.md", body="![a crest](crest.png) and words")
    sequential_load = pipeline.load(project.content, TODAY, with_warnings=True, workers=1)
    monkeypatch.setattr(pipeline, "PARALLEL_CHECKS", 0)
    parallel_load = pipeline.load(project.content, TODAY, with_warnings=True, workers=2)
    warnings = [str(warning) for warning in parallel_load.warnings]  # plain data: a failure prints it quickly
    assert warnings == [str(warning) for warning in sequential_load.warnings]
    assert len(warnings) == 1
    stories = [facts(story) for story in parallel_load.archive.stories]
    assert stories == [facts(story) for story in sequential_load.archive.stories]
    assert len(stories) == 30


def facts(story) -> tuple:
    return story.place, story.coach_name, story.club_names, story.date.iso, story.body_hash


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_inside_a_worker_reaches_the_parent(workers):
    from panchina.workers import forked_map

    with pytest.raises(ZeroDivisionError):
        forked_map(lambda n: 1 // (n - 5), list(range(10)), workers)


def test_a_forked_call_gives_its_result_or_none_and_leaves_no_process_behind():
    import os
    import time

    from panchina.workers import Forked

    assert Forked(sum, [1, 2, 3]).result() == 6
    assert Forked(lambda: 1 // 0).result() is None  # the caller then does the work itself
    started = time.monotonic()
    slow = Forked(time.sleep, 60)
    pid = slow._pid
    slow.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped
    started = time.monotonic()
    stuck = Forked(time.sleep, 60)
    pid = stuck._pid
    assert stuck.result(patience=0.5) is None  # given up on, stopped and reaped
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_forked_call_survives_an_ignored_sigchld_a_failed_fork_and_many_open_files(monkeypatch):
    """Whoever starts a build may ignore SIGCHLD (children reaped for it), the system may have no process
    to spare, and a launcher may leave a thousand files open: the result, or None, never a crash."""
    import os
    import resource
    import signal

    from panchina.workers import Forked

    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert Forked(sum, [1, 2]).result() == 3
        assert Forked(lambda: 1 // 0).result() is None
    finally:
        signal.signal(signal.SIGCHLD, previous)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200 <= hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1200, hard))
    opened = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert Forked(sum, [3, 4]).result() == 7  # its pipe is above 1023, beyond select()'s range
    finally:
        for descriptor in opened:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    def no_process_to_spare():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_process_to_spare)
    assert Forked(sum, [1, 2]).result() is None


def test_a_stopped_forked_process_is_given_up_on_without_hanging():
    import os
    import signal
    import time

    from panchina.workers import Forked

    for give_up in ("cancel", "patience"):
        started = time.monotonic()
        stopped = Forked(time.sleep, 60)
        os.kill(stopped._pid, signal.SIGSTOP)
        if give_up == "cancel":
            stopped.cancel()
        else:
            assert stopped.result(patience=0.5) is None
        assert time.monotonic() - started < 10


_SIGNAL_WHILE_FORKING = []


def test_a_signal_that_arrives_while_the_process_forks_reaches_the_build():
    """Raised inside Python's fork hooks, Ctrl-C or SIGTERM would only be printed, and the build would go
    on; held back during the fork, it is raised in the caller, and the forked process is stopped."""
    import os
    import signal

    from panchina.workers import Forked

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if not _SIGNAL_WHILE_FORKING:  # a fork hook cannot be taken back: one, switched on and off
        os.register_at_fork(before=lambda: _SIGNAL_WHILE_FORKING[-1] and os.kill(os.getpid(), signal.SIGTERM))
    previous = signal.signal(signal.SIGTERM, interrupt)
    _SIGNAL_WHILE_FORKING.append(True)
    try:
        with pytest.raises(KeyboardInterrupt):
            Forked(sum, [1, 2])
    finally:
        _SIGNAL_WHILE_FORKING.append(False)
        signal.signal(signal.SIGTERM, previous)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no process left behind
