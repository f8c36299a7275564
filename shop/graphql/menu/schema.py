import graphene


class MenuQueries(graphene.ObjectType):
    pass
