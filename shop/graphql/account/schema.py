import graphene


class AccountQueries(graphene.ObjectType):
    pass


class AccountMutations(graphene.ObjectType):
    pass
