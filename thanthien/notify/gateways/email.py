"""Email through Django's mail framework (EMAIL_BACKEND: SMTP in production)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from thanthien.notify.gateways.base import Gateway, Outcome, SendResult


class EmailGateway(Gateway):
    name = "email"

    def send(self, message) -> SendResult:
        request_id = str(message.provider_request_id)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.email],
            # The same Message-ID on a resend lets mail systems recognise the duplicate.
            headers={"Message-ID": f"<{request_id}@thanthien>", "X-Thanthien-Id": request_id},
            connection=get_connection(fail_silently=False),
        )
        request = f"{settings.EMAIL_BACKEND} to={message.email} Message-ID=<{request_id}@thanthien>"
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            return SendResult(outcome=Outcome.PERMANENT, request=request, error=str(exc))
        except smtplib.SMTPResponseException as exc:
            outcome = Outcome.PERMANENT if 500 <= exc.smtp_code < 600 else Outcome.TEMPORARY
            return SendResult(
                outcome=outcome,
                request=request,
                status_code=str(exc.smtp_code),
                error=str(exc.smtp_error),
            )
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult(
                outcome=Outcome.TEMPORARY, request=request, error=f"{type(exc).__name__}: {exc}"
            )
        return SendResult(outcome=Outcome.ACCEPTED, request=request, status_code="250")
