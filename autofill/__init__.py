"""ausm-autofill: fill the 会计人员信息采集 wizard of 全国会计人员统一服务管理平台."""

__version__ = "0.1.0"
