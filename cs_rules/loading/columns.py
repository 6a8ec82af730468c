"""Column names each input accepts, and what each input must contain.

Headers match case-insensitively after trimming; every canonical column also
accepts its Chinese names in simplified and traditional characters (DATA.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# canonical -> accepted aliases (besides the canonical name itself)
ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": ("工号", "工號", "员工编号", "員工編號", "编号", "編號", "员工工号", "員工工號",
                    "id", "emp_id", "staff_id"),
    "name": ("姓名", "员工姓名", "員工姓名", "employee_name"),
    "grade": ("职级", "職級", "级别", "級別", "职等", "職等", "level",
              # a quarterly review's grade (reviews.csv): weak, so a roster's 职级 wins beside it
              "考核等级", "考核等級", "考核结果", "考核結果", "评级", "評級", "等级", "等級", "绩效等级", "績效等級"),
    "hire_date": ("入职日期", "入職日期", "入职时间", "入職時間"),
    "leave_date": ("离职日期", "離職日期", "离职时间", "離職時間"),
    "notice_date": ("辞职申请日期", "辭職申請日期", "辞职日期", "辭職日期", "提出离职日期"),
    "base_salary": ("基本工资", "基本工資", "底薪", "基本薪资", "基本薪資"),
    "phone": ("手机", "手機", "手机号", "手機號", "电话", "電話", "mobile"),
    "id_number": ("身份证号", "身份證號", "身份证号码", "身份證號碼", "身份证", "身份證"),
    "schedule": ("考勤组", "考勤組", "班制", "工作制", "schedule_name"),
    "vendor_id": ("账号", "賬號", "帳號", "userid", "user_id", "钉钉账号", "企业微信账号"),
    "date": ("日期", "考勤日期", "打卡日期", "加班日期", "day"),
    "sign_in": ("签到时间", "簽到時間", "签到", "簽到", "上班打卡", "上班时间", "上班時間", "in",
                "clock_in", "check_in"),
    "sign_out": ("签退时间", "簽退時間", "签退", "簽退", "下班打卡", "下班时间", "下班時間", "out",
                 "clock_out", "check_out"),
    "punch_time": ("打卡时间", "打卡時間", "punch", "timestamp"),
    "start_date": ("开始日期", "開始日期", "开始时间", "開始時間", "start", "from"),
    "end_date": ("结束日期", "結束日期", "结束时间", "結束時間", "end", "to"),
    "type": ("类型", "類型", "请假类型", "請假類型", "假期类型", "假期類型", "leave_type", "日期类型"),
    "half_day": ("半天", "半日", "halfday"),
    "certificate": ("医院证明", "醫院證明", "证明", "證明", "病假证明", "病假證明", "cert"),
    "approved": ("已批准", "批准", "审批", "審批", "是否批准"),
    "hours": ("加班时长", "加班時長", "加班时数", "加班時數", "加班小时", "加班小時", "时长(小时)", "小时数", "小時數",
              "小时", "小時", "hrs"),
    "code": ("违规类型", "違規類型", "违纪类型", "違紀類型", "事件", "violation"),
    "minutes": ("分钟", "分鐘", "时长", "時長", "mins"),
    "points": ("扣分", "分数", "分數"),
    "note": ("备注", "備註", "備注", "说明", "說明", "remark", "notes", "节日", "節日"),
    "month": ("月份", "考核月份", "yyyy-mm"),
    "score": ("绩效得分", "績效得分", "绩效", "績效", "得分", "performance"),
    "award": ("奖项", "獎項", "奖励", "獎勵"),
    # corrections.csv (补卡), shifts.csv (排班), reviews.csv (季度考核)
    "time": ("时间", "時間", "补卡时间", "補卡時間", "打卡时刻"),
    "kind": ("补卡类型", "補卡類型", "打卡类型", "打卡類型", "签到签退", "簽到簽退", "上下班", "in_out"),
    "reason": ("原因", "补卡原因", "補卡原因", "事由", "理由"),
    "approved_by": ("审批人", "審批人", "批准人", "审核人", "審核人", "approver"),
    "shift": ("班次", "班别", "班別", "排班", "班次名称", "班次名稱"),
    "quarter": ("季度", "考核季度", "考核期", "quarter_of_year"),
}

# Names that mean the column only when nothing better is there: a clock export's 编号 is
# often a record number beside the real 考勤号码, and 上班时间/下班时间 is the schedule
# when 签到时间/签退时间 (the punches) stand beside it.
WEAK_ALIASES: frozenset[str] = frozenset({"编号", "編號", "id", "上班时间", "上班時間", "下班时间", "下班時間",
                                          "in", "out", "时间", "時間", "考核等级", "考核等級", "考核结果",
                                          "考核結果", "评级", "評級", "等级", "等級", "绩效等级", "績效等級"})


def normalize_header(text: object) -> str:
    """Lower-case, trimmed, spaces/hyphens as underscores, units in brackets dropped."""
    s = str(text if text is not None else "").strip().lower()
    s = re.sub(r"[（(][^)）]*[)）]$", "", s).strip()
    s = re.sub(r"[\s\-]+", "_", s)
    return s


_LOOKUP: dict[str, str] = {}
for _canon, _names in ALIASES.items():
    _LOOKUP[normalize_header(_canon)] = _canon
    for _n in _names:
        _LOOKUP.setdefault(normalize_header(_n), _canon)


_WEAK = {normalize_header(n) for n in WEAK_ALIASES}


def canonical(header: object) -> str | None:
    """The canonical column a header stands for, or None when unknown."""
    return _LOOKUP.get(normalize_header(header))


def alias_rank(header: object) -> int:
    """0 for a name that surely means its column, 1 for a weak one (see WEAK_ALIASES)."""
    return 1 if normalize_header(header) in _WEAK else 0


@dataclass(frozen=True)
class Schema:
    """What one kind of input must and may contain."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    label: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SCHEMAS: dict[str, Schema] = {
    "roster": Schema("roster", ("employee_id", "name", "grade", "hire_date"),
                     ("leave_date", "notice_date", "base_salary", "phone", "id_number", "vendor_id", "schedule"),
                     "roster"),
    "signin": Schema("signin", ("employee_id", "date", "sign_in", "sign_out"), ("name",),
                     "sign-in sheet"),
    "punches": Schema("punches", ("employee_id", "punch_time"), ("name",), "raw punches"),
    "leave": Schema("leave", ("employee_id", "start_date", "end_date", "type"),
                    ("half_day", "certificate", "approved", "name", "note"), "leave"),
    "violations": Schema("violations", ("date", "employee_id", "code"),
                         ("minutes", "points", "note", "name"), "violations"),
    "performance": Schema("performance", ("employee_id", "month", "score"), ("name",),
                          "performance"),
    "awards": Schema("awards", ("employee_id", "month", "award"), ("name", "note"), "awards"),
    "calendar": Schema("calendar", ("date", "type"), ("name", "note"), "calendar"),
    "corrections": Schema("corrections", ("employee_id", "date", "time", "kind"),
                          ("reason", "approved_by", "name", "note"), "corrections"),
    "shifts": Schema("shifts", ("employee_id", "date", "shift"), ("name", "note"), "shifts"),
    "reviews": Schema("reviews", ("employee_id", "quarter", "grade"), ("name", "note"), "reviews"),
    "overtime": Schema("overtime", ("employee_id", "date", "hours"), ("approved", "name", "note"), "overtime"),
}

# the inputs a file in the data folder's top level may be, by name or by its header
FOLDER_KINDS = ("roster", "leave", "violations", "performance", "awards", "calendar", "corrections", "shifts",
                "reviews", "overtime")


def describe_expected(schema: Schema) -> str:
    """The required columns with a Chinese alias each, for error hints."""
    parts = []
    for col in schema.required:
        zh = next((a for a in ALIASES.get(col, ()) if not a.isascii()), "")
        parts.append(f"{col} ({zh})" if zh else col)
    return ", ".join(parts)
