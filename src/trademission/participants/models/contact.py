from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactPerson(models.Model):
    """A person at an SME or a stakeholder: personal data, shown only to those who need it."""

    sme = models.ForeignKey(
        "participants.Sme", on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    stakeholder = models.ForeignKey(
        "participants.Stakeholder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("preferred language"), max_length=2, default="en")
    consent_at = models.DateTimeField(
        _("consented to the processing of personal data at"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(sme__isnull=False, stakeholder__isnull=True)
                    | models.Q(sme__isnull=True, stakeholder__isnull=False)
                ),
                name="contact_belongs_to_one_party",
            )
        ]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name
