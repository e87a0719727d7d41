"""Reads for vendors: a job's status as the real Loket's `/status` answers it (JSON-LD) and as the cleaner
`/api/vendor` endpoint does."""

from typing import Any

from django.conf import settings

from loket.vendors.models import Job, JobTask
from loket.vendors.payload import CONCEPT, SENT, SUBMITTABLE

JOB_STATUS = "http://redpencil.data.gift/id/concept/JobStatus/"
TASK_OPERATION = "http://lblod.data.gift/id/jobs/concept/TaskOperation/"
STATUS_CONTEXT = {
    "cogs": "http://vocab.deri.ie/cogs#",
    "adms": "http://www.w3.org/ns/adms#",
    "prov": "http://www.w3.org/ns/prov#",
    "meb": "http://rdf.myexperiment.org/ontologies/base/",
    "oslc": "http://open-services.net/ns/core#",
    "task": "http://redpencil.data.gift/vocabularies/tasks/",
    "dct": "http://purl.org/dc/terms/",
    "status": {"@id": "adms:status", "@type": "@id"},
    "generated": {"@id": "prov:generated", "@type": "@id"},
    "error": {"@id": "task:error", "@type": "@id"},
    "message": {"@id": "oslc:message"},
    "tasks": {"@reverse": "dct:isPartOf"},
    "operation": {"@id": "task:operation", "@type": "@id"},
    "index": {"@id": "task:index"},
    "submittedResource": {"@id": "dct:subject", "@type": "@id"},
}


def submission_status_uri(job: Job) -> str:
    if job.submission_id is not None and job.submission is not None:
        return SENT if job.submission.is_sent else CONCEPT
    return SUBMITTABLE if job.requested_status == Job.RequestedStatus.SUBMITTABLE else CONCEPT


def submission_status_label(job: Job) -> str:
    if job.submission_id is not None and job.submission is not None:
        return "sent" if job.submission.is_sent else "concept"
    if job.status == Job.Status.FAILED:
        return "none"
    return "submittable" if job.requested_status == Job.RequestedStatus.SUBMITTABLE else "concept"


def _tasks(job: Job) -> list[JobTask]:
    return list(JobTask.objects.filter(job=job).order_by("index"))


def _task_uri(job: Job, task: JobTask) -> str:
    return f"{settings.LOKET_URI_BASE}/id/automatic-submission-job/{job.uuid}/tasks/{task.operation}"


def job_status_jsonld(job: Job) -> dict[str, Any]:
    body: dict[str, Any] = {
        "@context": STATUS_CONTEXT,
        "@id": job.uri,
        "@type": "cogs:Job",
        "status": JOB_STATUS + job.status,
        "generated": {
            "@id": job.submission_uri,
            "@type": "meb:Submission",
            "status": submission_status_uri(job),
            "submittedResource": job.submitted_resource,
        },
        "tasks": [
            {
                "@id": _task_uri(job, task),
                "@type": "task:Task",
                "operation": TASK_OPERATION + task.operation,
                "index": str(task.index),
                "status": JOB_STATUS + task.status,
                **({"message": task.message} if task.message else {}),
                **(
                    {
                        "error": {
                            "@id": _task_uri(job, task) + "/error",
                            "@type": "oslc:Error",
                            "message": task.error_message,
                        }
                    }
                    if task.error_message
                    else {}
                ),
            }
            for task in _tasks(job)
        ],
    }
    if job.status == Job.Status.FAILED and job.error_message:
        body["error"] = {"@id": job.uri + "/error", "@type": "oslc:Error", "message": job.error_message}
    return body


def job_status_plain(job: Job) -> dict[str, Any]:
    return {
        "job": {
            "uri": job.uri,
            "status": job.status,
            "error": job.error_message or None,
            "created": job.created_at.isoformat(),
            "modified": job.modified_at.isoformat(),
        },
        "tasks": [
            {
                "operation": task.operation,
                "index": task.index,
                "status": task.status,
                "message": task.message or None,
                "error": task.error_message or None,
            }
            for task in _tasks(job)
        ],
        "submission": {
            "uri": job.submission_uri,
            "id": str(job.submission_uuid),
            "submitted_resource": job.submitted_resource,
            "status": submission_status_label(job),
        },
    }
