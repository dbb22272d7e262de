"""Progress of the scheduled actions that run to the end of their work in one call."""


def commit_batch(env, processed):
    """Commit a batch of a scheduled action and go on, whatever time the job has left.

    Odoo gives a job ten seconds and calls it again while work remains, so a job that stops
    when its time is up must resume where it stopped. The safety-stock update and the drift
    alerts cannot: each call selects (and the update plans) all of its rules again. Stopping
    made the next call redo the first batch, and once a first call had used the time up, no
    call ever got further (measured at S = 5 under load: ten calls in 86 s re-planned every
    rule and updated only the first 5,000 of 15,000). They commit each batch, so nothing done
    is lost if the worker is stopped, and go on to the end.
    """
    env["ir.cron"]._commit_progress(processed)


def goes_on(env, processed, succeeded):
    """Commit ``processed`` steps of a scheduled action; whether it goes on. Once Odoo's time
    for the job is up it stops, but only after a step that succeeded: a step that failed is still
    to do, so the next call tries it first again, and a call that stopped right after it would
    never reach the steps behind it (Odoo's later calls each get the time of one step)."""
    return bool(env["ir.cron"]._commit_progress(processed)) or not succeeded


def run_steps(env, steps, work, logger, failure, use_new_cursor=False, describe=None):
    """``work(step)`` for each record of ``steps``, each in a savepoint: one that fails is logged
    on ``logger`` (``failure`` % ``describe(step)``, by default the step's name) and skipped, the
    others still run. With ``use_new_cursor`` (the cron) each step is committed, and the run stops
    where Odoo's time for the job is up (``goes_on``): the next call starts again with the steps
    the job still finds to do. A ``work`` that returns False did nothing (a step it had to leave
    for later): like a failed one, it is no step done to stop after, or the steps behind it would
    never be reached."""
    if use_new_cursor:
        env["ir.cron"]._commit_progress(remaining=len(steps))
    for step in steps:
        succeeded = False
        try:
            with env.cr.savepoint():
                succeeded = work(step) is not False
        except Exception:  # noqa: BLE001 - logged; the next step still runs
            logger.exception(failure, *(describe(step) if describe else (step.display_name,)))
        if use_new_cursor and not goes_on(env, 1, succeeded):
            break
