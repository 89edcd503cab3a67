"""The emulator's tag operations on user pools, through a real client on its HTTP endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


def test_tags_from_create_user_pool_are_listed_changed_and_removed(admin: Any) -> None:
    pool = admin.create_user_pool(PoolName="tagged", UserPoolTags={"team": "auth", "env": "test"})["UserPool"]
    arn = pool["Arn"]
    assert admin.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "auth", "env": "test"}
    admin.tag_resource(ResourceArn=arn, Tags={"env": "ci", "managed-by": "authflow"})
    admin.untag_resource(ResourceArn=arn, TagKeys=["team", "not-there"])
    assert admin.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "ci", "managed-by": "authflow"}
    assert admin.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["UserPoolTags"] == {
        "env": "ci",
        "managed-by": "authflow",
    }


def test_a_pool_without_tags_has_none(admin: Any) -> None:
    arn = admin.create_user_pool(PoolName="plain")["UserPool"]["Arn"]
    assert admin.list_tags_for_resource(ResourceArn=arn)["Tags"] == {}


@pytest.mark.parametrize(
    ("arn", "code"),
    [
        ("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere1", "ResourceNotFoundException"),
        ("arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:abc", "InvalidParameterException"),
    ],
)
def test_unknown_or_foreign_resources(admin: Any, arn: str, code: str) -> None:
    with pytest.raises(ClientError) as raised:
        admin.tag_resource(ResourceArn=arn, Tags={"a": "b"})
    assert raised.value.response["Error"]["Code"] == code


def test_at_most_fifty_tags(admin: Any) -> None:
    arn = admin.create_user_pool(PoolName="many", UserPoolTags={f"k{i}": "v" for i in range(50)})["UserPool"]["Arn"]
    with pytest.raises(ClientError) as raised:
        admin.tag_resource(ResourceArn=arn, Tags={"one-more": "v"})
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"
    admin.tag_resource(ResourceArn=arn, Tags={"k0": "replaced"})  # replacing is not adding
    assert admin.list_tags_for_resource(ResourceArn=arn)["Tags"]["k0"] == "replaced"
