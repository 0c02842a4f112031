import SyncCore

/// What people call the schema's entities, fields and enumeration values in their language.
///
/// The names the schema uses (`account`, `expected_close`, `negotiation`) are what commands
/// take and what JSON and CSV keep; a table, a record's details or a history in Chinese shows
/// `客户`, `预计成交日期`, `商务谈判`. `SchemaLabelTests` checks that every entity and field of
/// `CRMSchema.schema` has a Chinese name; enumeration values are `ReportPhrases.chineseValues`.
public enum SchemaLabels {
    /// An entity's name for people: `account` in English, `客户` in Chinese.
    public static func entity(_ name: String, _ language: Language) -> String {
        language == .chinese ? chineseEntities[name] ?? name : name
    }

    /// A field's name for people: `expected_close` in English, `预计成交日期` in Chinese.
    public static func field(_ name: String, _ language: Language) -> String {
        language == .chinese ? chineseFields[name] ?? name : name
    }

    /// A value of an enumeration field in `language` (a stage, a status, a source); tiers,
    /// currencies and names stay as they are.
    public static func value(_ text: String, of field: FieldSchema?, _ language: Language) -> String {
        guard language == .chinese, case .enumeration? = field?.type else { return text }
        return ReportPhrases.chineseValues[text] ?? text
    }

    public static let chineseEntities: [String: String] = [
        "account": "客户", "contact": "联系人", "lead": "线索", "opportunity": "商机", "activity": "活动",
        "campaign": "营销活动", "quote": "报价单", "quote_line": "报价行", "order": "订单", "order_line": "订单行",
        "contract": "合同", "invoice": "发票", "payment": "回款", "ticket": "工单", "survey": "问卷",
        "product": "产品", "loyalty_entry": "积分记录", "reward": "奖品", "target": "目标", "visit_plan": "拜访计划",
    ]

    public static let chineseFields: [String: String] = [
        "account": "客户", "active": "有效", "address": "地址", "amount": "金额", "answered_at": "答卷时间",
        "assignee": "处理人", "at": "时间", "birthday": "生日", "budget": "预算", "called_back_at": "回访时间",
        "campaign": "营销活动", "cancel_reason": "取消原因", "cancelled_on": "取消日期", "category": "类别", "channel": "渠道",
        "check_in_latitude": "签到纬度", "check_in_longitude": "签到经度", "checked_in_at": "签到时间",
        "checked_out_at": "签退时间", "city": "城市", "classified_on": "分类日期", "closed_on": "成交日期", "comment": "评语",
        "company": "公司", "company_size": "公司规模", "confirmed_on": "确认日期", "contact": "联系人",
        "converted_account": "转化客户", "converted_opportunity": "转化商机", "cost": "所需积分", "created_on": "创建日期",
        "credit_limit": "信用额度", "currency": "币种", "decided_on": "决定日期", "delivered_on": "交付日期",
        "description": "描述", "device": "设备", "discount_percent": "折扣（%）", "due_on": "到期日", "duration_minutes": "时长（分钟）",
        "email": "邮箱", "ends_on": "结束日期", "expected_close": "预计成交日期", "first_response_at": "首次响应时间",
        "follow_up_done": "跟进已完成", "industry": "行业", "invoice": "发票", "issued_on": "开票日期", "kind": "类型",
        "kpi": "指标", "latitude": "纬度", "lifecycle": "生命周期", "longitude": "经度", "lost_reason": "输单原因",
        "loyalty_points": "积分", "method": "方式", "name": "名称", "next_follow_up": "下次跟进", "notes": "备注",
        "number": "编号", "opened_at": "创建时间", "opportunity": "商机", "order": "订单", "ordered_on": "下单日期",
        "outcome": "结果", "owner": "负责人", "payment_terms": "付款条件", "period": "期间", "phone": "电话", "plan": "拜访计划",
        "planned_at": "计划时间", "planned_on": "计划日期", "points": "积分", "preferred_channel": "首选渠道",
        "previous": "上一版本", "probability": "赢率（%）", "product": "产品", "purpose": "目的", "quantity": "数量",
        "quote": "报价单", "reason": "原因", "received_on": "到账日期", "reference": "参考号", "renewal_notice_days": "续约提前天数",
        "renewed_by": "续约合同", "rep": "销售代表", "resolution": "处理结果", "resolved_at": "解决时间", "reward": "奖品",
        "route_order": "路线顺序", "samples_given": "样品发放数", "score": "评分", "sent_on": "发送日期", "severity": "严重程度", "signed_on": "签订日期",
        "sku": "SKU", "source": "来源", "stage": "阶段", "starts_on": "开始日期", "status": "状态", "subject": "主题",
        "tags": "标签", "tax_rate_percent": "税率（%）", "terminated_on": "终止日期", "terms": "条款", "territory": "区域",
        "tier": "等级", "title": "标题", "total": "总额", "type": "类型", "unit_price": "单价", "valid_until": "有效期至",
        "value": "金额", "version": "版本",
    ]
}
