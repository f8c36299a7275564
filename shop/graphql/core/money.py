"""Money in Saleor's shapes, from the shop's đồng (``shop.money``): VND has no minor unit."""

from decimal import Decimal

import graphene

from shop import money as shop_money

CURRENCY = "VND"


class Money(graphene.ObjectType):
    currency = graphene.String(required=True, description="Currency code.")
    amount = graphene.Float(required=True, description="Amount of money.")
    fractional_amount = graphene.Int(required=True, description="Amount in the smallest unit.")
    fraction_digits = graphene.Int(required=True, description="Number of digits after the point.")

    @staticmethod
    def of(amount, currency=CURRENCY):
        if amount is None:
            return None
        whole = shop_money.whole_dong(Decimal(amount))
        return Money(currency=currency, amount=float(whole), fractional_amount=int(whole),
                     fraction_digits=0)


class TaxedMoney(graphene.ObjectType):
    currency = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)

    @staticmethod
    def of(gross, net=None, currency=CURRENCY):
        """Prices in this shop include VAT (the shelf price); net is the excl. tax part."""
        if gross is None:
            return None
        net = gross if net is None else net
        return TaxedMoney(currency=currency, gross=Money.of(gross, currency),
                          net=Money.of(net, currency), tax=Money.of(Decimal(gross) - Decimal(net), currency))

    @staticmethod
    def of_price(price):
        """An Oscar ``prices.Price`` (or a strategy's price) as TaxedMoney."""
        if price is None or not getattr(price, "exists", True):
            return None
        gross = price.incl_tax if price.is_tax_known else price.excl_tax
        return TaxedMoney.of(gross, price.excl_tax, price.currency or CURRENCY)


class MoneyRange(graphene.ObjectType):
    start = graphene.Field(Money)
    stop = graphene.Field(Money)


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)
