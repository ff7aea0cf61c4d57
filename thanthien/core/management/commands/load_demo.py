"""`manage.py load_demo`: one realistic commune (Xã Kiến Minh, Hải Phòng); safe to run again.

Its output is for whoever runs `make demo`, in Vietnamese like the demo data itself; it is
console text, not a page, so it stays out of the translation catalogue.
"""

from django.core.management.base import BaseCommand

from thanthien.core.demo import STAFF_URL, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: xã Kiến Minh (Hải Phòng) với cán bộ, thôn, lịch tiếp dân, tài khoản."

    def handle(self, *args, **options):
        ctx = demo_load()
        where = f"{ctx.commune.name} ({ctx.commune.province.name})"
        created = ", ".join(f"{label}: {n}" for label, n in ctx.created.items() if n)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu {where} — tạo mới {created}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu {where} đã có, không thay đổi."))
        self.stdout.write(f"Trang của xã: http://127.0.0.1:8000{ctx.commune.get_absolute_url()}")
        for login in ctx.logins:
            self.stdout.write(
                f"Đăng nhập khu làm việc: {STAFF_URL} — {login.label}: "
                f"tài khoản {login.username} / mật khẩu {login.password}"
            )
