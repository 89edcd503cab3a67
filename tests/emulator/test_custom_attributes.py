"""AddCustomAttributes through boto3: the schema grows, the new attribute can be written and read at once."""

from __future__ import annotations

from typing import Any

from tests.emulator.conftest import confirmed_user, refused


def test_an_added_custom_attribute_is_in_the_schema_and_writable(cognito: Any, pool_id: str) -> None:
    cognito.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
            {"Name": "seats", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MaxValue": "500"}},
        ],
    )
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]
    by_name = {attribute["Name"]: attribute for attribute in described}
    assert by_name["custom:tier"]["AttributeDataType"] == "String" and by_name["custom:tier"]["Required"] is False
    assert by_name["custom:seats"]["NumberAttributeConstraints"]["MaxValue"] == "500"
    confirmed_user(cognito, pool_id, "ada")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "custom:tier", "Value": "gold"}]
    )
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "custom:tier", "Value": "gold"} in attributes


def test_what_add_custom_attributes_refuses(cognito: Any, pool_id: str) -> None:
    """[C: jmaleonard/serverless-cognito-add-custom-attributes#3, trek10inc/serverless-cognito-manager#4]; the
    prefix is always added, so `custom:tier` becomes `custom:custom:tier` [C: awsdocs/aws-cloudformation-user-
    guide#932]."""
    add = cognito.add_custom_attributes
    add(UserPoolId=pool_id, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}])
    assert refused(add, UserPoolId=pool_id, CustomAttributes=[{"Name": "tier", "AttributeDataType": "String"}]) == (
        "InvalidParameterException",
        "Existing attribute already has name custom:tier.",
    )
    required = [{"Name": "plan", "AttributeDataType": "String", "Required": True}]
    assert refused(add, UserPoolId=pool_id, CustomAttributes=required) == (
        "InvalidParameterException",
        "Required custom attributes are not supported currently.",
    )
    add(UserPoolId=pool_id, CustomAttributes=[{"Name": "custom:tier", "AttributeDataType": "String"}])
    names = [a["Name"] for a in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]]
    assert "custom:custom:tier" in names and "plan" not in names and "custom:plan" not in names
    many = [{"Name": f"extra{i}", "AttributeDataType": "String"} for i in range(48)]
    add(UserPoolId=pool_id, CustomAttributes=many[:25])  # at most 25 a call [BC CustomAttributesListType]
    add(UserPoolId=pool_id, CustomAttributes=many[25:])  # 2 + 48: the most a pool can have
    one_more = [{"Name": "extra48", "AttributeDataType": "String"}]
    assert refused(add, UserPoolId=pool_id, CustomAttributes=one_more) == (
        "InvalidParameterException",
        "A user pool can have at most 50 custom attributes.",
    )


def test_a_pool_cannot_be_created_with_a_required_custom_attribute(cognito: Any) -> None:
    schema = [{"Name": "plan", "AttributeDataType": "String", "Required": True}]
    assert refused(cognito.create_user_pool, PoolName="required", Schema=schema) == (
        "InvalidParameterException",
        "Required custom attributes are not supported currently.",
    )


def test_a_developer_only_attribute_is_described_as_dev(cognito: Any) -> None:
    """[BC SchemaAttributeType Name]: a describe operation lists a developer-only attribute as dev:<name>."""
    schema = [{"Name": "reviewer", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]
    pool_id = cognito.create_user_pool(PoolName="dev-only", Schema=schema)["UserPool"]["Id"]
    names = [a["Name"] for a in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]]
    assert "dev:reviewer" in names and "custom:reviewer" not in names
