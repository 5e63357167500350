from celery import shared_task

from oversight import retention


@shared_task
def retention_nightly() -> dict:
    """Apply the retention policy (or only list what it would do when the policy is off)."""
    policy = retention.policy_current()
    result = retention.retention_apply(dry_run=not policy.enabled)
    return {
        "dry_run": result.run.dry_run,
        "workers_anonymised": result.run.workers_anonymised,
        "workers_held": result.run.workers_held,
        "message_bodies_removed": result.run.message_bodies_removed,
    }
