"""Step kernels: the shell channel receives a reply whose wake-up was lost; kernels start ahead."""

import asyncio
import time
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.session import Session

from cxlib import kernels


async def _channel_with_waiting_reply(lost_wake_up: bool):
    """A ShellChannel whose socket holds one reply; with ``lost_wake_up`` its socket's poll never
    reports it (what pyzmq's asyncio socket did when widget cells stalled)."""
    context = zmq.asyncio.Context()
    router, dealer = context.socket(zmq.ROUTER), context.socket(zmq.DEALER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer.connect(f"tcp://127.0.0.1:{port}")
    session = Session()
    channel = kernels.ShellChannel(dealer, session)
    request = session.msg("execute_request", {"code": "1"})
    await dealer.send_multipart(session.serialize(request))
    identity, *_ = await router.recv_multipart()
    session.send(router, "execute_reply", {"status": "ok"}, parent=request, ident=identity)
    while not dealer.get(zmq.EVENTS) & zmq.POLLIN:  # the reply has arrived in the client's socket
        await asyncio.sleep(0.01)
    if lost_wake_up:
        async def never_woken(timeout=None, flags=zmq.POLLIN):
            await asyncio.sleep((timeout or 0) / 1000)
            return 0
        dealer.poll = never_woken
    return channel, request, (router, dealer, context)


def _close(sockets):
    router, dealer, context = sockets
    dealer.close(linger=0)
    router.close(linger=0)
    context.term()


def test_a_reply_whose_wake_up_is_lost_is_received_within_one_check():
    async def scenario():
        channel, request, sockets = await _channel_with_waiting_reply(lost_wake_up=True)
        start = time.monotonic()
        reply = await channel.get_msg(timeout=None)  # nbclient waits for the reply without a limit
        seconds = time.monotonic() - start
        _close(sockets)
        return reply, request, seconds

    reply, request, seconds = asyncio.run(scenario())
    assert reply["msg_type"] == "execute_reply" and reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
    assert seconds < kernels.WAKE_CHECK_S + 1


def test_no_message_is_empty_after_the_timeout():
    async def scenario():
        channel, _, sockets = await _channel_with_waiting_reply(lost_wake_up=False)
        await channel.get_msg(timeout=1)  # the waiting reply
        start = time.monotonic()
        with pytest.raises(Empty):
            await channel.get_msg(timeout=1.2)
        seconds = time.monotonic() - start
        _close(sockets)
        return seconds

    assert 1.2 <= asyncio.run(scenario()) < 3


def test_step_kernels_get_the_reply_safe_client():
    client = kernels.StepKernelManager(kernel_name="python3").client()
    assert isinstance(client, kernels.StepKernelClient) and client.shell_channel_class is kernels.ShellChannel


@pytest.mark.slow
def test_a_kernel_started_ahead_has_the_imports_done_and_counts_from_one(tmp_path):
    pool = kernels.KernelPool(tmp_path, ahead=1)
    pool.prepare(1)
    km = pool.take()
    try:
        client = km.blocking_client()
        client.start_channels()
        client.execute("import sys; print('cxlib.steps.insight' in sys.modules)")
        seen = []
        while True:
            msg = client.get_iopub_msg(timeout=30)
            if msg["msg_type"] == "execute_input":
                seen.append(msg["content"]["execution_count"])
            if msg["msg_type"] == "stream":
                seen.append(msg["content"]["text"].strip())
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle" and len(seen) == 2:
                break
        client.stop_channels()
    finally:
        kernels.stop_kernel(km)
        pool.close()
    assert seen == [1, "True"], "imports done silently: the first cell is still In [1]"


@pytest.mark.parametrize("given, expected", [({}, kernels.CELL_TIMEOUT_S), ({"execution_timeout": 7}, 7),
                                             ({"timeout": 9}, 9)])
def test_the_cxwb_engine_never_runs_a_cell_without_a_limit(monkeypatch, given, expected):
    import papermill  # noqa: F401  first, as the runner does: papermill loads its entry points (cxlib.engine) on import

    from cxlib import engine

    seen = {}

    class Recorder:
        owns_km = True

        def __init__(self, nb_man, **options):
            seen.update(options)

        def execute(self):
            return "executed"

    monkeypatch.setattr(engine, "PapermillNotebookClient", Recorder)
    assert engine.StepEngine.execute_managed_notebook(None, "python3", **given) == "executed"
    assert seen["timeout"] == expected and seen["kernel_manager_class"] is kernels.StepKernelManager
