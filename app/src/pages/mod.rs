pub mod account;
pub mod admin_rubrics;
pub mod admin_units;
pub mod admin_users;
pub mod home;
pub mod login;
pub mod not_found;
