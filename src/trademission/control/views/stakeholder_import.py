"""Importing stakeholders: upload → column mapping → preview → confirm (all or nothing).

The file stays between the steps under ``<data dir>/imports/<random token>.<suffix>``; the
token is in the session only. It is deleted after the import, on cancel, or after a day.
A request body larger than the limit is refused from its Content-Length, before anything is
read; a chunked body is cut off by :class:`SizeLimitHandler` while it streams.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView

from trademission.control.forms.stakeholders import MappingForm, UploadForm
from trademission.control.views.stakeholders import RequiresMixin, list_url
from trademission.participants.domain.stakeholders import ImportRejected, import_stakeholders
from trademission.participants.enums import PartnerType
from trademission.participants.interfaces.stakeholder_import import (
    MAX_BYTES,
    ImportFileError,
    Preview,
    build_preview,
    check_suffix,
    discard_upload,
    guess_mapping,
    name_column,
    read_table,
    store_upload,
    too_large_message,
    upload_path,
)

#: Rows shown as samples on the mapping page (the whole file is read at upload and preview).
SAMPLES = 3
#: Room for the multipart envelope and the CSRF token around the file itself.
ENVELOPE = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit (for bodies without a length)."""

    def __init__(self, request: HttpRequest | None = None, limit: int = MAX_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ImportMixin(RequiresMixin):
    permission = "view_mission"
    change_permission = "change_stakeholders"
    requires = "change_stakeholders"

    @property
    def session_key(self) -> str:
        return f"stakeholder_import:{self.mission.pk}"

    def state(self) -> dict[str, Any] | None:
        state = self.request.session.get(self.session_key)
        return state if isinstance(state, dict) else None

    def forget(self) -> None:
        state = self.state()
        if state:
            discard_upload(state.get("token", ""), state.get("suffix", ""))
        self.request.session.pop(self.session_key, None)

    def table(self, *, head: int | None = None) -> Any:
        state = self.state()
        assert state is not None
        return read_table(upload_path(state["token"], state["suffix"]), head=head)


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class ImportUploadView(ImportMixin, TemplateView):
    template_name = "control/stakeholders/import_upload.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["pending"] = self.state()
        context["max_mb"] = MAX_BYTES // 1024 // 1024
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BYTES + ENVELOPE:
            # Refused without reading the body: a 50 MB file costs nothing.
            form = UploadForm()
            form.errors["file"] = form.error_class([too_large_message(length)])
            return self.render_to_response(self.get_context_data(form=form), status=413)
        limiter = SizeLimitHandler(request)
        request.upload_handlers.insert(0, limiter)
        return self._post(request, limiter)

    @method_decorator(csrf_protect)
    def _post(self, request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if limiter.exceeded:
            form.is_valid()
            form.errors["file"] = form.error_class([too_large_message(limiter.received)])
            return self.render_to_response(self.get_context_data(form=form), status=413)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            suffix = check_suffix(upload.name)
            token, path = store_upload(upload.chunks(), suffix)
            try:
                table = read_table(path)
            except ImportFileError:
                path.unlink(missing_ok=True)
                raise
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        self.forget()
        request.session[self.session_key] = {
            "token": token,
            "suffix": suffix,
            "filename": upload.name[:200],
            "mapping": guess_mapping(table.headers),
            "rows": len(table.rows),
            "mapped": False,
        }
        return redirect("control:stakeholders_import_mapping", mission=self.mission.slug)


class ImportMappingView(ImportMixin, TemplateView):
    template_name = "control/stakeholders/import_mapping.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = self.state()
        context["pending"] = state
        if state and "form" not in kwargs:
            try:
                table = self.table(head=SAMPLES)
            except ImportFileError as exc:
                context["file_error"] = str(exc)
                return context
            context["form"] = MappingForm(headers=table.headers, initial_mapping=state["mapping"])
            context["table"] = table
        if "table" in context:
            table = context["table"]
            samples = {
                index: [row[index] for _number, row in table.rows[:SAMPLES]]
                for index in range(len(table.headers))
            }
            context["columns"] = [
                (field, samples[index]) for index, field in enumerate(context["form"])
            ]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        state = self.state()
        if "cancel" in request.POST or state is None:
            self.forget()
            messages.info(request, _("The import is cancelled; nothing was imported."))
            return redirect("control:stakeholders_import", mission=self.mission.slug)
        try:
            table = self.table(head=SAMPLES)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            self.forget()
            return redirect("control:stakeholders_import", mission=self.mission.slug)
        form = MappingForm(request.POST, headers=table.headers, initial_mapping=state["mapping"])
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, table=table))
        request.session[self.session_key] = {**state, "mapping": form.mapping(), "mapped": True}
        return redirect("control:stakeholders_import_preview", mission=self.mission.slug)


class ImportPreviewView(ImportMixin, TemplateView):
    template_name = "control/stakeholders/import_preview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = self.state()
        context["pending"] = state if state and state.get("mapped") else None
        if context["pending"] and "preview" not in kwargs:
            try:
                table = self.table()
            except ImportFileError as exc:
                context["file_error"] = str(exc)
                return context
            context["preview"] = build_preview(table, state["mapping"], self.mission)
        preview: Preview | None = context.get("preview")
        if preview is not None:
            by_row = preview.issues_by_row
            duplicates = preview.duplicates
            context["rows"] = [
                {
                    "row": row,
                    "issues": by_row.get(row.number, []),
                    "duplicate_of_entry": duplicates.in_mission.get(row.number),
                    "duplicate_of_row": duplicates.in_file.get(row.number),
                    "reuses": row.number in duplicates.reused,
                    "type_label": PartnerType(row.fields["type"]).label
                    if row.fields.get("type")
                    else "",
                }
                for row in preview.rows
            ]
            context["n_duplicates"] = len(duplicates.rows())
            context["n_ready"] = (
                preview.total_rows - preview.error_rows - len(duplicates.rows() - set(by_row))
            )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_requires()
        state = self.state()
        if "cancel" in request.POST or not state or not state.get("mapped"):
            self.forget()
            messages.info(request, _("The import is cancelled; nothing was imported."))
            return redirect("control:stakeholders_import", mission=self.mission.slug)
        try:
            table = self.table()
        except ImportFileError as exc:
            messages.error(request, str(exc))
            self.forget()
            return redirect("control:stakeholders_import", mission=self.mission.slug)
        preview = build_preview(table, state["mapping"], self.mission)
        try:
            result = import_stakeholders(
                self.mission,
                preview.rows,
                issues=preview.issues,
                skip_duplicates=request.POST.get("skip_duplicates") == "on",
                duplicate_column=name_column(table, state["mapping"]),
            )
        except ImportRejected as rejected:
            messages.error(
                request,
                _("Nothing was imported: %(n)s problem(s) to correct first.")
                % {"n": len(rejected.issues)},
            )
            return self.render_to_response(self.get_context_data(preview=preview), status=200)
        self.forget()
        text = _("%(n)s stakeholder(s) imported.") % {"n": result.created}
        if result.skipped:
            text += " " + _("%(n)s duplicate row(s) skipped: %(rows)s.") % {
                "n": len(result.skipped),
                "rows": ", ".join(str(n) for n in result.skipped),
            }
        messages.success(request, text)
        return redirect(list_url(self.mission.slug))
