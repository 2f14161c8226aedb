-- The database behind sample-15.list (PostgreSQL 15): pg_dump -Fc, then pg_restore --list --verbose.
create schema sales;
create type mood as enum ('ok','sad');
create table public.accounts(id serial primary key, name text unique, m mood default 'ok');
create index accounts_name_lower on accounts(lower(name));
comment on table accounts is 'the accounts';
create role tocreader;
grant select on accounts to tocreader;
create function touch() returns trigger language plpgsql as $$begin return new; end$$;
create trigger accounts_touch before insert on accounts for each row execute function touch();
create table sales.orders(id bigint generated always as identity primary key, account_id int references accounts(id), total numeric);
create view sales.order_totals as select account_id, sum(total) from sales.orders group by 1;
create table public.audit(id int, account_id int references accounts(id) on delete cascade);
insert into accounts(name) values ('a'),('b');
insert into sales.orders(account_id,total) values (1,10),(2,5);
create materialized view acct_mv as select * from accounts;
