//! SAM and CloudFormation templates (placeholder, filled below).
