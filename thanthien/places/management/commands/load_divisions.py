"""Load the 34 provinces and 3,321 commune-level units from `vietnam_provinces`."""

from django.core.management.base import BaseCommand

from thanthien.places.services import divisions_load


class Command(BaseCommand):
    help = "Nạp 34 tỉnh và 3.321 xã/phường/đặc khu chính thức (chạy lại nhiều lần vẫn an toàn)."

    def handle(self, *args, **options):
        report = divisions_load()
        self.stdout.write(self.style.SUCCESS(report.summary()))
