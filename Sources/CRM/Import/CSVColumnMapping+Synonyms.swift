import Foundation
import SyncCore

extension CSVColumnMapping {
    /// Common spreadsheet headers (English and Chinese) and the field they mean, per entity.
    /// Compared by `Normalization.key`, so "E-mail", "EMAIL" and "e mail" all match "email".
    public static let synonyms: [String: [String: String]] = [
        "account": account,
        "contact": contact,
        "lead": lead,
        "opportunity": opportunity,
        "activity": activity,
        "ticket": ticket,
        "order": order,
        "order_line": orderLine,
    ]

    /// The account a row belongs to, as the exports of Chinese CRMs name it.
    private static let accountColumn: [String: String] = [
        "客户名称": "account", "客户": "account", "公司名称": "account", "所属客户": "account", "客户全称": "account",
        "customer": "account", "customer name": "account", "account name": "account", "company": "account",
    ]

    private static let ownerColumn: [String: String] = [
        "负责人": "owner", "销售负责人": "owner", "客户经理": "owner", "业务员": "owner", "销售代表": "owner", "rep": "owner",
        "sales rep": "owner",
    ]

    private static let notesColumn: [String: String] = [
        "备注": "notes", "说明": "notes", "note": "notes", "remark": "notes", "remarks": "notes",
    ]

    static let opportunity: [String: String] = accountColumn.merging(ownerColumn) { first, _ in first }
        .merging(notesColumn) { first, _ in first }
        .merging([
            "商机名称": "title", "机会名称": "title", "销售机会": "title", "项目名称": "title", "opportunity": "title",
            "opportunity name": "title", "name": "title",
            "销售阶段": "stage", "阶段": "stage", "商机阶段": "stage", "sales stage": "stage",
            "金额": "amount", "商机金额": "amount", "预计金额": "amount", "销售金额": "amount", "value": "amount",
            "币种": "currency", "赢率": "probability", "成交概率": "probability", "win probability": "probability",
            "预计成交日期": "expected_close", "预计签单日期": "expected_close", "close date": "expected_close",
            "expected close date": "expected_close", "创建日期": "created_on", "created": "created_on",
            "结束日期": "closed_on", "输单原因": "lost_reason", "丢单原因": "lost_reason",
        ]) { first, _ in first }

    static let activity: [String: String] = accountColumn.merging(ownerColumn) { first, _ in first }
        .merging(notesColumn) { first, _ in first }
        .merging([
            "联系人": "contact", "contact": "contact", "contact name": "contact",
            "跟进方式": "type", "拜访方式": "type", "类型": "type", "activity type": "type",
            "主题": "subject", "跟进主题": "subject", "拜访时间": "at", "跟进时间": "at", "时间": "at", "date": "at",
            "time": "at", "时长": "duration_minutes", "时长(分钟)": "duration_minutes", "duration": "duration_minutes",
            "跟进结果": "outcome", "拜访结果": "outcome", "结果": "outcome", "下次跟进日期": "next_follow_up",
            "下次跟进": "next_follow_up", "next follow up": "next_follow_up", "纬度": "latitude", "经度": "longitude",
        ]) { first, _ in first }

    static let ticket: [String: String] = accountColumn.merging(notesColumn.mapValues { _ in "description" }) { first, _ in first }
        .merging([
            "联系人": "contact", "contact": "contact", "工单标题": "title", "标题": "title", "主题": "title",
            "subject": "title", "工单类型": "category", "类别": "category", "类型": "category", "type": "category",
            "严重程度": "severity", "紧急程度": "severity", "优先级": "severity", "priority": "severity",
            "状态": "status", "工单状态": "status", "创建时间": "opened_at", "提交时间": "opened_at", "opened": "opened_at",
            "首次响应时间": "first_response_at", "响应时间": "first_response_at", "解决时间": "resolved_at",
            "处理人": "assignee", "负责人": "assignee", "问题描述": "description", "描述": "description",
            "解决方案": "resolution", "处理结果": "resolution", "回访时间": "called_back_at",
        ]) { first, _ in first }

    static let order: [String: String] = accountColumn.merging(ownerColumn) { first, _ in first }
        .merging(notesColumn) { first, _ in first }
        .merging([
            "订单编号": "number", "订单号": "number", "单号": "number", "order number": "number", "order no": "number",
            "订单状态": "status", "状态": "status", "订单金额": "total", "总金额": "total", "合计": "total", "amount": "total",
            "币种": "currency", "下单日期": "ordered_on", "订单日期": "ordered_on", "order date": "ordered_on",
            "签约日期": "signed_on", "商机名称": "opportunity", "销售机会": "opportunity",
        ]) { first, _ in first }

    static let orderLine: [String: String] = [
        "订单编号": "order", "订单号": "order", "单号": "order", "销售订单编号": "order", "order number": "order",
        "order no": "order", "产品编码": "sku", "物料编码": "sku", "产品编号": "sku", "product code": "sku",
        "产品名称": "product", "产品": "product", "物料名称": "product", "product name": "product",
        "数量": "quantity", "qty": "quantity", "单价": "unit_price", "销售单价": "unit_price", "price": "unit_price",
        "折扣": "discount_percent", "折扣率": "discount_percent", "discount": "discount_percent", "税率": "tax_rate_percent",
        "tax rate": "tax_rate_percent", "tax": "tax_rate_percent", "规格": "description", "描述": "description",
    ]

    static let account: [String: String] = [
        "客户名称": "name", "公司名称": "name", "客户": "name", "公司": "name", "企业名称": "name", "单位名称": "name",
        "客户全称": "name", "名称": "name", "company": "name", "company name": "name", "customer": "name",
        "customer name": "name", "account": "name", "account name": "name",
        "行业": "industry", "所属行业": "industry", "sector": "industry",
        "客户等级": "tier", "客户分级": "tier", "等级": "tier", "class": "tier", "abc": "tier",
        "生命周期": "lifecycle", "客户阶段": "lifecycle", "lifecycle stage": "lifecycle",
        "区域": "territory", "销售区域": "territory", "大区": "territory", "片区": "territory", "region": "territory",
        "负责人": "owner", "客户经理": "owner", "业务员": "owner", "销售": "owner", "销售代表": "owner",
        "rep": "owner", "sales rep": "owner", "account owner": "owner",
        "电话": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone", "电话号码": "phone",
        "座机": "phone", "mobile": "phone", "tel": "phone", "telephone": "phone", "phone number": "phone",
        "邮箱": "email", "电子邮件": "email", "电子邮箱": "email", "邮件": "email", "e-mail": "email", "mail": "email",
        "email address": "email",
        "地址": "address", "详细地址": "address", "公司地址": "address", "办公地址": "address", "street": "address",
        "城市": "city", "所在城市": "city", "所在地": "city", "town": "city",
        "来源": "source", "客户来源": "source", "渠道": "source", "source channel": "source", "channel": "source",
        "规模": "company_size", "公司规模": "company_size", "企业规模": "company_size", "size": "company_size",
        "信用额度": "credit_limit", "授信额度": "credit_limit", "credit": "credit_limit",
        "备注": "notes", "说明": "notes", "note": "notes", "remark": "notes", "remarks": "notes", "comment": "notes",
        "comments": "notes",
        "标签": "tags", "客户标签": "tags", "分组": "tags", "tag": "tags", "segment": "tags", "segments": "tags",
        "积分": "loyalty_points", "会员积分": "loyalty_points", "points": "loyalty_points", "loyalty": "loyalty_points",
        "样品发放数": "samples_given", "样品数": "samples_given", "样品": "samples_given", "samples": "samples_given",
    ]

    static let contact: [String: String] = [
        "联系人": "name", "姓名": "name", "联系人姓名": "name", "名字": "name", "contact": "name", "contact name": "name",
        "full name": "name", "person": "name",
        "客户名称": "account", "公司名称": "account", "客户": "account", "公司": "account", "所属客户": "account",
        "所属公司": "account", "单位名称": "account", "企业名称": "account", "company": "account",
        "company name": "account", "customer": "account", "account name": "account",
        "职位": "title", "职务": "title", "岗位": "title", "头衔": "title", "position": "title", "job title": "title",
        "role": "title",
        "电话": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone", "电话号码": "phone",
        "mobile": "phone", "tel": "phone", "telephone": "phone", "phone number": "phone",
        "邮箱": "email", "电子邮件": "email", "电子邮箱": "email", "邮件": "email", "e-mail": "email", "mail": "email",
        "首选渠道": "preferred_channel", "联系方式偏好": "preferred_channel", "preferred channel": "preferred_channel",
        "生日": "birthday", "出生日期": "birthday", "date of birth": "birthday", "dob": "birthday",
        "备注": "notes", "说明": "notes", "note": "notes", "remark": "notes", "remarks": "notes", "comment": "notes",
    ]

    static let lead: [String: String] = [
        "联系人": "name", "姓名": "name", "contact": "name", "contact name": "name",
        "公司名称": "company", "客户名称": "company", "公司": "company", "企业名称": "company", "company name": "company",
        "电话": "phone", "手机": "phone", "手机号": "phone", "联系电话": "phone", "mobile": "phone", "tel": "phone",
        "邮箱": "email", "电子邮件": "email", "e-mail": "email", "mail": "email",
        "城市": "city", "行业": "industry", "来源": "source", "线索来源": "source", "状态": "status", "线索状态": "status",
        "区域": "territory", "销售区域": "territory", "region": "territory", "负责人": "owner", "rep": "owner",
        "创建日期": "created_on", "created": "created_on", "备注": "notes", "remark": "notes", "remarks": "notes",
    ]

    /// The enumeration value a person meant by `text` for `field` (展会 → trade_show, A类 → A),
    /// when `valueSynonyms` has it and the field allows it; nil otherwise. The CSV import and
    /// the record commands (`create`, `edit`) read typed values through this.
    public static func enumerationValue(_ text: String, field: FieldSchema) -> String? {
        guard case .enumeration(let allowed) = field.type,
            let value = valueSynonyms[field.name]?[text.trimmingCharacters(in: .whitespaces).lowercased()], allowed.contains(value)
        else { return nil }
        return value
    }

    /// Chinese and English words people write for enumeration values, per field name.
    public static let valueSynonyms: [String: [String: String]] = [
        "lifecycle": [
            "潜在": "prospect", "潜在客户": "prospect", "初次购买": "first_purchase", "首次购买": "first_purchase",
            "新客户": "first_purchase", "first purchase": "first_purchase", "重复购买": "repeat", "复购": "repeat",
            "忠诚": "loyal", "忠诚客户": "loyal", "流失": "churned", "已流失": "churned", "流失客户": "churned",
        ],
        "source": [
            "营销活动": "campaign", "活动": "campaign", "转介绍": "referral", "推荐": "referral", "介绍": "referral",
            "网站": "web", "官网": "web", "网络": "web", "online": "web", "展会": "trade_show", "trade show": "trade_show",
            "陌拜": "cold_call", "电话营销": "cold_call", "cold call": "cold_call", "其他": "other", "其它": "other",
        ],
        "company_size": [
            "小": "small", "小型": "small", "小微": "small", "中": "medium", "中型": "medium", "大": "large", "大型": "large",
            "集团": "enterprise", "超大型": "enterprise",
        ],
        "tier": ["a类": "A", "b类": "B", "c类": "C", "a级": "A", "b级": "B", "c级": "C"],
        "preferred_channel": ["电话": "phone", "邮件": "email", "邮箱": "email", "微信": "wechat", "短信": "sms", "拜访": "visit"],
        "stage": [
            "初步接洽": "qualification", "验证客户": "qualification", "需求分析": "needs_analysis", "需求确认": "needs_analysis",
            "方案报价": "proposal", "方案": "proposal", "报价": "proposal", "商务谈判": "negotiation", "谈判": "negotiation",
            "赢单": "won", "成交": "won", "赢": "won", "输单": "lost", "丢单": "lost", "输": "lost",
        ],
        "type": ["拜访": "visit", "上门拜访": "visit", "电话": "call", "邮件": "email", "会议": "meeting"],
        "category": ["投诉": "complaint", "服务请求": "service_request", "服务": "service_request", "咨询": "inquiry"],
        "severity": ["低": "low", "中": "medium", "高": "high", "紧急": "critical", "严重": "critical"],
        "status": [
            "未处理": "open", "待处理": "open", "已受理": "acknowledged", "处理中": "in_progress", "已解决": "resolved",
            "已关闭": "closed", "草稿": "draft", "已提交": "submitted", "已交付": "delivered", "已发货": "delivered",
            "已取消": "cancelled",
            "新建": "new", "新": "new", "已联系": "contacted", "已确认": "qualified", "合格": "qualified",
            "不合格": "disqualified", "无效": "disqualified", "已转化": "converted",
        ],
    ]
}
