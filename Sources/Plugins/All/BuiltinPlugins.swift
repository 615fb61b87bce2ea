import CalendarConditions
import Engine
import HistoryConditions
import MerchantConditions
import NthPurchaseCondition
import PaymentConditions
import StandardRewards

extension PluginRegistry {
    /// Every plugin kind that ships with the engine: the one list to extend with a new kind.
    public static var builtin: PluginRegistry {
        var registry = PluginRegistry()
        registry.register(AmountCondition.self)
        registry.register(WeekdayCondition.self)
        registry.register(TimeOfDayCondition.self)
        registry.register(DateCondition.self)
        registry.register(MCCCondition.self)
        registry.register(CountryCondition.self)
        registry.register(ChannelCondition.self)
        registry.register(ForeignCondition.self)
        registry.register(PartnerCondition.self)
        registry.register(FirstPurchaseCondition.self)
        registry.register(NthPurchaseCondition.self)
        registry.register(PercentageReward.self)
        registry.register(FlatReward.self)
        registry.register(TieredReward.self)
        return registry
    }
}
