"""Chinese names of the contract's enums and fields, for messages to people."""

from __future__ import annotations

PLATFORM = {
    "weibo": "微博",
    "wechat": "微信",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "kuaishou": "快手",
    "app": "移动客户端",
    "website": "政府网站",
    "other": "其他平台",
}
SUBTYPE = {"subscription": "订阅号", "service": "服务号", "miniprogram": "小程序"}
UNIT_KIND = {
    "government": "人民政府",
    "department": "政府部门",
    "institution": "承担行政职能的事业单位",
    "internal_body": "内设机构",
    "enterprise": "下属企事业单位",
    "zone": "功能板块/开发区管委会",
}
BODY = {
    "government_office": "政府办公室",
    "approval_bureau": "行政审批服务局",
    "cyberspace_office": "网信部门",
    "publicity_department": "宣传部门",
}
LEVEL = {
    "national": "国家级",
    "provincial": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇级",
}
ROLE = {
    "editor": "编辑",
    "proofreader": "校对",
    "first_reviewer": "初审",
    "second_reviewer": "复审",
    "final_reviewer": "终审",
    "office_head": "主要负责人",
    "deputy_leader": "分管领导",
    "principal_leader": "主要领导",
}
TIER = {"routine": "一般信息", "important": "重要信息", "major": "重大敏感或全局性信息"}
COLUMN = {
    "dynamic": "动态要闻类",
    "notice": "通知公告类",
    "policy": "政策文件类",
    "personnel": "人事信息类",
    "plan": "规划计划类",
    "service": "办事服务类",
    "interaction": "互动交流类",
}
FLAG = {
    "commercial_ad": "商业广告",
    "personal_opinion": "个人观点",
    "illegal_content": "违法有害信息",
    "serious_error": "严重表述错误",
    "state_secret": "国家秘密",
    "personal_info_exposed": "泄露个人信息",
    "off_duty_topic": "与职责无关的内容",
    "commercial_ad_link": "商业广告链接",
    "commercial_secret": "商业秘密",
    "user_rights_harm": "损害用户权益的内容",
    "excessive_personal_data": "超过服务需求的个人信息",
    "political_error": "政治错误",
    "security_threat": "危害国家安全和社会稳定的信息",
    "disciplinary_disclosure": "依纪依法公开的处分信息",
    "mandatory_disclosure": "依法应当公开的信息",
}
INCIDENT = {
    "fake_followers": "购买粉丝等数据造假",
    "forced_engagement": "强制群众下载、点赞、转发",
    "commercial_activity": "商业经营活动",
    "account_compromised": "账号被盗用或攻击",
    "impersonation": "假冒仿冒",
}
ACTION = {"open": "开设", "change": "变更", "close": "关停", "cancel": "注销"}
REPORT_KIND = {
    "quarterly_self_check": "季度自查报告",
    "weekly_self_check": "每周自查记录",
    "ops_report": "运维情况报告",
    "survey": "摸底调查报告",
    "cleanup": "清理整合报告",
    "implementation": "贯彻落实情况报告",
}
ATTESTATION = {
    "security_management": "安全管理制度",
    "confidentiality_review": "保密审查制度",
    "emergency_plan": "应急预案",
    "duty_roster": "值班值守制度",
    "review_workflow": "内容发布审核制度",
    "budget": "经费预算",
    "work_ledger": "工作台账",
}
FUNCTION = {
    "publish": "信息发布",
    "spread": "传播",
    "guide": "引导",
    "interact": "互动",
    "service": "办事服务",
}
OPERATION_MODE = {"self": "自行运维", "outsourced": "委托运维"}
STATUS = {"active": "正常", "suspended": "暂停", "closed": "已关停"}
DEVICE = {"dedicated": "专用设备", "personal": "个人设备", "public": "公共场所设备"}
CHECK_LEVEL = {"national": "国家", "provincial": "省级", "city": "市级", "county": "县级"}
SEVERITY = {"info": "提示", "warning": "警告", "error": "违规", "critical": "严重"}
SUBJECT = {
    "unit": "单位",
    "account": "账号",
    "post": "信息",
    "message": "留言",
    "filing": "备案",
    "login": "登录",
    "report": "报告",
}
#: record types as a person names the data: what a report says is missing
RECORD_TYPE = {
    "unit": "单位名录",
    "account": "账号名录",
    "post": "发布记录",
    "message": "留言记录",
    "filing": "备案记录",
    "announcement": "公告记录",
    "login": "登录记录",
    "report": "报送材料",
    "incident": "违规事件记录",
    "spot_check": "抽查记录",
    "attestation": "制度落实记录",
    "waiver": "豁免记录",
}
#: event fields a rule may lack, by ``type.field``
EVENT_FIELD = {
    "post.signoffs": "信息的审核签发",
    "post.review_form": "信息的登记审核表",
    "post.flags": "信息的内容标记",
    "post.original": "信息是否原创",
    "post.source_approved": "转载来源是否为稿源单位",
    "post.source_credited": "转载是否注明来源",
    "filing.filed_on": "备案日期",
    "filing.forwarded_on": "报送日期",
    "filing.approved_on": "审批日期",
    "filing.approver": "审批机关",
    "message.replied_at": "留言回复时间",
    "report.signed_by_principal": "报告是否经主要领导签字",
    "report.stamped": "报告是否加盖公章",
}

#: the people a registry names, and what it records of each
PERSON = {"principal": "负责人", "deputy": "分管负责人", "contact": "联系人"}
PERSON_FIELD = {"name": "姓名", "title": "职务", "phone": "电话", "mobile": "手机"}
FIELD = {
    # a person, and each thing recorded of them, named from the two tables above only
    **PERSON,
    **{
        f"{who}.{part}": PERSON[who] + name for who in PERSON for part, name in PERSON_FIELD.items()
    },
    "certified_sponsor": "认证主办单位",
    "operator": "运营单位",
    "operation_mode": "运营方式",
    "security_agreement": "安全保密协议",
    "purpose": "功能定位",
    "functions": "功能",
    "in_matrix": "纳入矩阵",
    "name_approved_on": "名称核准日期",
    "ipv6": "支持互联网协议第6版",
    "review_policy": "内容发布审核制度",
    "news_license": "互联网新闻信息服务许可",
    "error_correction_entry": "纠错入口",
    "columns": "栏目",
    "platform_account_id": "平台账号号码",
    "opened_on": "开设日期",
    "password_custodian": "账号密码管理人",
    "staff_count": "工作人员数",
    "dedicated_staff": "专职人员数",
    "funding_yuan_per_year": "年度经费",
    "name": "名称",
    "unit.name": "单位名称",
    "provides_news_service": "提供互联网新闻信息服务",
    "for_special_event": "为专项工作开设",
    "opened_by_individual": "以个人名义开设",
    "followers": "粉丝量",
    "reads": "阅读量",
    "status": "状态",
    "closed_on": "关停日期",
    "subtype": "账号类型",
    "platform": "平台",
    "sponsor_changed": "主办单位变更",
    "level": "层级",
    "kind": "类别",
    "parent_id": "上级单位",
    "body": "机构职能",
    "classified": "涉密单位",
    "public_facing": "对外行使公共管理职能",
    "unit_id": "主办单位",
}

#: the names of a field's enumerated values, by field path (what a condition compares)
VALUES = {
    "functions": FUNCTION,
    "operation_mode": OPERATION_MODE,
    "status": STATUS,
    "platform": PLATFORM,
    "subtype": SUBTYPE,
    "unit.kind": UNIT_KIND,
    "unit.level": LEVEL,
    "unit.body": BODY,
    "kind": UNIT_KIND,
    "level": LEVEL,
    "body": BODY,
}


def missing_label(need: str) -> str:
    """A record type or ``type.field`` path as a person names the missing data."""
    if need in EVENT_FIELD:
        return EVENT_FIELD[need]
    kind, _, field = need.partition(".")
    if not field:
        return RECORD_TYPE.get(kind, kind)
    return f"{SUBJECT.get(kind, RECORD_TYPE.get(kind, kind))}{FIELD.get(field, field)}"


def unlabelled(table: dict[str, str], keys: list[str], own: dict[str, str]) -> list[str]:
    """Keys a message could show that neither the vocabulary nor a pack's own ``labels`` names.

    A pack may use a post flag or attestation item of its own, but a message
    an office sends must name it in Chinese, so the pack has to give the name.
    """
    return [k for k in keys if k not in table and k not in own]


def label(table: dict[str, str], key: str | None) -> str:
    """The Chinese name of ``key``, or the key itself when none is known."""
    return table.get(key, key) if key is not None else "（空）"
