"""draw.io's own AWS shapes for the icons of our diagrams, instead of embedded pictures.

A draw.io file that embeds every icon as a PNG data URI weighed about 160 KB for
five nodes; naming draw.io's AWS 2019 stencil (``mxgraph.aws4.*``) costs a few
dozen bytes, and a reader then edits the node the way draw.io users expect (the
shape from the AWS library, recoloured or swapped from the sidebar).

The style strings follow draw.io's AWS sidebar, ``Sidebar-AWS4.js`` in jgraph/drawio
(``src/main/webapp/js/diagramly/sidebar/Sidebar-AWS4.js``, read at commit
003149591ef1a573ae8f5ab518aa81e870ada759): a service is a ``resourceIcon`` square in
its category's colour with the service's white glyph (``resIcon=mxgraph.aws4.lambda``),
a resource (a Lambda function, a bucket, a user) is the stencil itself in its
category's colour. Each stencil named here is listed by that sidebar
(``tests/diagrams/data/drawio_aws4_stencils.txt`` records the list and its commit).
An icon without an equivalent there keeps its embedded picture.
"""

from __future__ import annotations

__all__ = ["AWS4_SHAPES", "CATEGORY_COLOURS", "aws4_style"]

#: AWS Architecture Icons category colours (as draw.io's sidebar fills them), by ``diagrams`` group folder.
CATEGORY_COLOURS: dict[str, str] = {
    "analytics": "#8C4FFF", "compute": "#ED7100", "cost": "#7AA116", "database": "#C925D1",
    "devtools": "#C925D1", "general": "#232F3D", "integration": "#E7157B", "management": "#E7157B",
    "ml": "#01A88D", "network": "#8C4FFF", "security": "#DD344C", "storage": "#7AA116",
}

_SERVICE, _RESOURCE = "service", "resource"

#: ``diagrams`` icon (relative to its resources folder) → (draw.io aws4 stencil, drawn as).
#: Keyed by icon file, so aliases (``aws.compute.ECR`` and ``EC2ContainerRegistry``) agree.
AWS4_SHAPES: dict[str, tuple[str, str]] = {
    "aws/analytics/amazon-opensearch-service.png": ("elasticsearch_service", _SERVICE),
    "aws/analytics/athena.png": ("athena", _SERVICE),
    "aws/analytics/elasticsearch-service.png": ("elasticsearch_service", _SERVICE),
    "aws/analytics/emr.png": ("emr", _SERVICE),
    "aws/analytics/glue.png": ("glue", _SERVICE),
    "aws/analytics/kinesis-data-analytics.png": ("kinesis_data_analytics", _SERVICE),
    "aws/analytics/kinesis-data-firehose.png": ("kinesis_data_firehose", _SERVICE),
    "aws/analytics/kinesis-data-streams.png": ("kinesis_data_streams", _SERVICE),
    "aws/analytics/quicksight.png": ("quicksight", _SERVICE),
    "aws/analytics/redshift.png": ("redshift", _SERVICE),
    "aws/compute/batch.png": ("batch", _SERVICE),
    "aws/compute/ec2.png": ("ec2", _SERVICE),
    "aws/compute/ec2-auto-scaling.png": ("autoscaling", _SERVICE),
    "aws/compute/ec2-container-registry.png": ("ecr", _SERVICE),
    "aws/compute/ec2-instance.png": ("instance", _RESOURCE),
    "aws/compute/ec2-instances.png": ("instances", _RESOURCE),
    "aws/compute/ec2-spot-instance.png": ("spot_instance", _RESOURCE),
    "aws/compute/elastic-container-service.png": ("ecs", _SERVICE),
    "aws/compute/elastic-container-service-container.png": ("container_1", _RESOURCE),
    "aws/compute/elastic-kubernetes-service.png": ("eks", _SERVICE),
    "aws/compute/fargate.png": ("fargate", _SERVICE),
    "aws/compute/lambda.png": ("lambda", _SERVICE),
    "aws/compute/lambda-function.png": ("lambda_function", _RESOURCE),
    "aws/cost/budgets.png": ("budgets", _SERVICE),
    "aws/cost/cost-and-usage-report.png": ("cost_and_usage_report", _SERVICE),
    "aws/cost/cost-explorer.png": ("cost_explorer", _SERVICE),
    "aws/database/aurora.png": ("aurora", _SERVICE),
    "aws/database/database-migration-service.png": ("database_migration_service", _SERVICE),
    "aws/database/dynamodb.png": ("dynamodb", _SERVICE),
    "aws/database/dynamodb-global-secondary-index.png": ("global_secondary_index", _RESOURCE),
    "aws/database/dynamodb-table.png": ("table", _RESOURCE),
    "aws/database/elasticache-for-redis.png": ("elasticache_for_redis", _SERVICE),
    "aws/database/neptune.png": ("neptune", _SERVICE),
    "aws/database/rds.png": ("rds", _SERVICE),
    "aws/database/rds-postgresql-instance.png": ("postgresql_instance", _RESOURCE),
    "aws/database/redshift.png": ("redshift", _SERVICE),
    "aws/database/redshift-dense-compute-node.png": ("dense_compute_node", _RESOURCE),
    "aws/devtools/codebuild.png": ("codebuild", _SERVICE),
    "aws/devtools/codedeploy.png": ("codedeploy", _SERVICE),
    "aws/devtools/codepipeline.png": ("codepipeline", _SERVICE),
    "aws/devtools/x-ray.png": ("xray", _SERVICE),
    "aws/general/client.png": ("client", _RESOURCE),
    "aws/general/user.png": ("user", _RESOURCE),
    "aws/general/users.png": ("users", _RESOURCE),
    "aws/integration/simple-notification-service-sns.png": ("sns", _SERVICE),
    "aws/integration/simple-queue-service-sqs.png": ("sqs", _SERVICE),
    "aws/integration/step-functions.png": ("step_functions", _SERVICE),
    "aws/management/cloudformation-stack.png": ("stack", _RESOURCE),
    "aws/management/cloudtrail.png": ("cloudtrail", _SERVICE),
    "aws/management/cloudwatch.png": ("cloudwatch", _SERVICE),
    "aws/management/cloudwatch-alarm.png": ("alarm", _RESOURCE),
    "aws/management/cloudwatch-event-time-based.png": ("event_time_based", _RESOURCE),
    "aws/management/config.png": ("config", _SERVICE),
    "aws/management/systems-manager.png": ("systems_manager", _SERVICE),
    "aws/network/api-gateway.png": ("api_gateway", _SERVICE),
    "aws/network/cloudfront.png": ("cloudfront", _SERVICE),
    "aws/network/elb-application-load-balancer.png": ("application_load_balancer", _SERVICE),
    "aws/network/elb-network-load-balancer.png": ("network_load_balancer", _SERVICE),
    "aws/network/endpoint.png": ("endpoints", _RESOURCE),
    "aws/network/internet-gateway.png": ("internet_gateway", _RESOURCE),
    "aws/network/nat-gateway.png": ("nat_gateway", _RESOURCE),
    "aws/network/route-53.png": ("route_53", _SERVICE),
    "aws/security/certificate-manager.png": ("certificate_manager_3", _SERVICE),
    "aws/security/cognito.png": ("cognito", _SERVICE),
    "aws/security/identity-and-access-management-iam-role.png": ("role", _RESOURCE),
    "aws/security/key-management-service.png": ("key_management_service", _SERVICE),
    "aws/security/secrets-manager.png": ("secrets_manager", _SERVICE),
    "aws/security/single-sign-on.png": ("single_sign_on", _SERVICE),
    "aws/security/waf.png": ("waf", _SERVICE),
    "aws/storage/elastic-file-system-efs.png": ("elastic_file_system", _SERVICE),
    "aws/storage/s3-glacier.png": ("glacier", _SERVICE),
    "aws/storage/s3-glacier-archive.png": ("archive", _RESOURCE),
    "aws/storage/simple-storage-service-s3.png": ("s3", _SERVICE),
    "aws/storage/simple-storage-service-s3-bucket.png": ("bucket", _RESOURCE),
    "aws/storage/simple-storage-service-s3-bucket-with-objects.png": ("bucket_with_objects", _RESOURCE),
}


def aws4_style(icon: str) -> str | None:
    """The draw.io shape style for a ``diagrams`` icon (``aws/compute/lambda.png``), or
    None when draw.io's AWS library has no equivalent (the icon is then embedded)."""
    shape = AWS4_SHAPES.get(icon)
    if shape is None:
        return None
    stencil, drawn_as = shape
    colour = CATEGORY_COLOURS[icon.split("/")[1]]
    if drawn_as == _SERVICE:
        return (f"shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{stencil};"
                f"fillColor={colour};strokeColor=#ffffff;outlineConnect=0;")
    return f"shape=mxgraph.aws4.{stencil};fillColor={colour};strokeColor=none;outlineConnect=0;"
