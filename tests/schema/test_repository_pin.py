"""The pinned commit of a companion repository becomes the link a reader follows."""

from __future__ import annotations

import pytest

from patternbook.schema.pattern import Repository

SHA = "fb7b5d06c27d8abb1bd35e52ab7523acf4baab7b"


@pytest.mark.parametrize(("url", "path", "expected"), [
    ("https://github.com/aws-samples/serverless-patterns", "apigw-sqs-lambda",
     f"https://github.com/aws-samples/serverless-patterns/tree/{SHA}/apigw-sqs-lambda"),
    ("https://github.com/aws-samples/dms-cdk/", None, f"https://github.com/aws-samples/dms-cdk/tree/{SHA}"),
    ("https://gitlab.com/group/project.git", "examples/basic",
     f"https://gitlab.com/group/project/-/tree/{SHA}/examples/basic"),
])
def test_tree_url_points_at_the_pinned_commit_and_path(url: str, path: str | None, expected: str) -> None:
    repository = Repository(url=url, iac="terraform", ref=SHA, path=path,
                            description="A companion repository described at its pinned commit.")
    assert repository.tree_url == expected
    assert repository.short_ref == "fb7b5d0"
