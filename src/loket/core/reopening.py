"""The one page shape of an agency act that needs a reason (reopening a sent submission or report): GET shows the
item and a reason field; POST runs the module's service; a refusal shows its message on the same page (409 for a
conflict such as "already reopened", 400 for a missing reason) with what was typed kept; success redirects with a
message. The modules keep their own service, access rule and wording."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from loket.core.errors import ConflictError, DomainError


def reason_page(
    request: HttpRequest,
    *,
    act: Callable[[str], Any],
    done_message: str,
    done_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    error, status, reason = "", 200, ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            act(reason)
        except DomainError as refused:
            error, status = str(refused.message), 409 if isinstance(refused, ConflictError) else 400
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    return render(request, template, {**context, "error": error, "reason": reason}, status=status)
